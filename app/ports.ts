import type { CheckedRequest } from "../core/check-request.js";
import type { CompiledPolicy } from "../core/compile-policy.js";
import type { PreparedBase } from "../core/evaluate/prepare-base.js";
import type { DirectorySnapshot, PullSnapshot } from "../core/evaluate/pull-snapshot.js";
import type { FileError } from "../core/file-error.js";
import type { CheckOutput } from "../core/render-check.js";

// The ports of the application layer: what the use cases (app/*) need from a forge, said in the
// use cases' terms. github/repo-ports.ts implements them over the GitHub API; test/fakes/ in memory
// (like policy-bot's pull.Context and pulltest.Context). Nothing here names a transport.

/** The API does not show the head SHA the event announced yet: decide later, never approve now. */
export class HeadNotVisibleError extends Error {
  constructor(
    readonly expected: string,
    readonly actual: string,
  ) {
    super(
      `GitHub shows head ${actual.slice(0, 12)}, not ${expected.slice(0, 12)} yet; the decision waits for the next event or reconcile`,
    );
  }
}

/** A user as the API reports one. */
export interface ApiUser {
  login: string;
  id: number;
  type?: string;
}

/** What a decision reads of a pull request, plus the ids and SHAs the bot acts on. */
export interface PullRead {
  number: number;
  headSha: string;
  baseSha: string;
  author: ApiUser;
  state: string;
  draft: boolean;
  snapshot: PullSnapshot;
  /** Users met in the PR (author, commit authors, reviewers) with ids and types. */
  users: ApiUser[];
}

/**
 * What a verified webhook payload (or the open-PR list) already says of a pull request: enough to
 * decide it without `GET /pulls/{n}`. The head SHA is the one the event announced; `readPull` still
 * checks that the API's commits end there before deciding.
 */
export interface PullSummary {
  number: number;
  state: string;
  draft?: boolean | null;
  head: { sha: string };
  base: { sha: string };
  user: { login: string; id: number | bigint; type?: string } | null;
  labels?: ({ name?: string } | string)[];
  /** Commits in the PR (pull_request payloads carry it; lists do not). */
  commits?: number;
}

/** A request file on the default branch, with the commit that last changed it. */
export interface GitRequest {
  path: string;
  content: string;
  /** The squash-merge commit that last changed the file: its author is the requester, its date the merge time. */
  commit: { sha: string; author: string | null; authorId: number | null; date: Date };
  checked: CheckedRequest | undefined;
  errors: FileError[];
}

/** How an auto-merge attempt ended. */
export type MergeOutcome = { merged: true; sha: string } | { merged: false; reason: string };

/** How one check-run write relates to others for the same head. */
export interface WriteCheckOptions {
  /** When the reads behind this decision began; a check written from later reads is never replaced. */
  decidedAt: Date;
  /** Read the check run from GitHub instead of trusting this instance's cache (late, fail-closed writes). */
  fresh?: boolean;
  /** Called when nothing is written because the check run already shows this output. */
  skipped?: () => void;
  /**
   * `false`: update the check run already on the head, but create none (the delivery for a new head
   * creates it). GitHub has no conditional create, so two replicas that both find no check run
   * would both create one; periodic passes leave creation to the webhook path for one pass.
   */
  create?: boolean;
}

/** Where a use case logs what it did not do, and why. */
export interface Logger {
  info(msg: string): void;
  warn(msg: string): void;
}

/** A new issue (a break-glass post-incident review). */
export interface NewIssue {
  title: string;
  body: string;
  labels: string[];
  assignees: string[];
}

/** An expired request whose file a revert pull request deletes. */
export interface RevertInput {
  path: string;
  name: string;
  defaultBranch: string;
  headSha: string;
  expiredAt: string;
  originalPr?: number;
}

/** What the use cases read of one repository. */
export interface PullSource {
  /** `owner/repo`. */
  readonly repository: string;
  readonly owner: string;
  /** Unique per API host, installation and repository: what a use case's memory keys on. */
  readonly key: string;
  /** The pull request; throws HeadNotVisibleError when `expectedHead` is not what the forge shows yet. */
  pull(number: number, opts?: { expectedHead?: string; known?: PullSummary }): Promise<PullRead>;
  /** The policy, CODEOWNERS and certification records at a commit, parsed. */
  base(sha: string): Promise<PreparedBase>;
  /** The given users, and the members of the given teams. */
  directory(users: ApiUser[], teams: string[]): Promise<DirectorySnapshot>;
  /** Members of `org/team`. */
  team(team: string): Promise<ApiUser[]>;
  /** A file's text at a commit; undefined when it is not there. */
  fileAt(path: string, sha: string): Promise<string | undefined>;
  /** The merged pull request whose merge commit is `sha`, if any. */
  mergedPullOf(sha: string): Promise<{ number: number; mergedAt: string; url?: string } | undefined>;
  /** The open pull requests, a page at a time. */
  openPulls(): AsyncIterable<PullSummary[]>;
  /** The default branch and its head commit. */
  defaultBranch(): Promise<{ name: string; headSha: string }>;
  /** Every request file at `sha`, with the commit that merged it, checked against `policy`. */
  mergedRequests(sha: string, policy: CompiledPolicy): Promise<GitRequest[]>;
}

/** Writes the one `jitops/approval` check run of a head. */
export interface CheckWriter {
  /** The check run's id; undefined when `create: false` found none to update. */
  writeCheck(head: string, check: CheckOutput, opts: WriteCheckOptions): Promise<number | undefined>;
}

/** What the use cases write to one repository besides check runs. */
export interface PullWriter {
  /** Merges only the approved head: refused when the head moved or the PR is not mergeable. */
  merge(number: number, head: string): Promise<MergeOutcome>;
  comment(number: number, body: string): Promise<void>;
  requestReviews(number: number, who: { teams: string[]; users: string[] }): Promise<void>;
  /** Creates or updates the one comment starting with `marker`. */
  stickyComment(number: number, marker: string, body: string): Promise<void>;
  /** The `jitops/grant` commit status. */
  setStatus(sha: string, state: "success" | "failure", description: string): Promise<void>;
  openIssue(issue: NewIssue): Promise<number>;
  /** Opens (or finds) the pull request deleting an expired request file. */
  openRevertPr(input: RevertInput): Promise<number>;
}

/** One repository, as the use cases see it. */
export type RepoPorts = PullSource & CheckWriter & PullWriter;
