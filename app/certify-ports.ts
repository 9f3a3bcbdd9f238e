import type { ActivityLookup, HeldGrant } from "../core/certification/build-record.js";
import type { CompiledPolicy } from "../core/compile-policy.js";
import type { DecisionKind } from "../core/evaluate/decision.js";
import type { PreparedBase } from "../core/evaluate/prepare-base.js";
import type { DirectorySnapshot } from "../core/evaluate/pull-snapshot.js";

/** An open certification pull request, found by its branch. */
export interface OpenCertification {
  number: number;
  headSha: string;
  /** The record at its head, when it could be read. */
  record?: string;
}

/** What deciding a certification pull request through the engine gave. */
export interface CertificationDecided {
  decision: DecisionKind | undefined;
  headSha: string;
  merged: boolean;
  /** Logins whose approvals counted. */
  approvers: string[];
  reason?: string;
}

/**
 * What the certify use case needs from GitHub, and nothing more: the default branch's head and
 * base tree, the directory, the grants Git declares, the certification pull requests and their
 * comments. The state lives there; the use case keeps none.
 */
export interface CertifyPorts {
  /** The default branch and its head commit. */
  head(): Promise<{ branch: string; sha: string }>;
  /** The base tree at `sha` (policies, CODEOWNERS, certification records), prepared. */
  base(sha: string): Promise<PreparedBase>;
  /** Members (login, numeric id) of `teams`, and the ids of `users`. */
  directory(teams: string[], users: string[]): Promise<DirectorySnapshot>;
  /** The grants held at `now` by the request files at `sha`, with their windows. */
  held(sha: string, policy: CompiledPolicy, now: Date): Promise<HeldGrant[]>;
  /** Last activity of people and workloads, once activity records exist. */
  activity?: ActivityLookup;
  /** The open certification pull request of a policy, if there is one. */
  findOpen(policy: string): Promise<OpenCertification | undefined>;
  /** Opens a pull request from `branch` that writes `path` with `content` on top of `baseSha`. */
  open(input: {
    branch: string;
    base: string;
    baseSha: string;
    path: string;
    content: string;
    title: string;
    body: string;
  }): Promise<{ number: number; headSha: string }>;
  /** The bodies of the comments on a pull request. */
  comments(pr: number): Promise<string[]>;
  comment(pr: number, body: string): Promise<void>;
  /** Decides a pull request with the engine (check run, and the merge of an approved head). */
  decide(pr: number): Promise<CertificationDecided>;
}
