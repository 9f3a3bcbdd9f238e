import type { PreparedBase } from "../evaluate/prepare-base.js";
import type { DirectorySnapshot, PullSnapshot } from "../evaluate/pull-snapshot.js";

/**
 * One request pull request to replay under the base and the head policy. The snapshot's author is the
 * requester's GitHub login, or "" when the source cannot tell (a local checkout whose commit email
 * maps to no principal).
 */
export interface ReplayRequest {
  /** The pull request number, when known (a local checkout may only know the commit). */
  pr?: number;
  /** The commit the request files were read at: the merge commit, or the open PR's head. */
  commit?: string;
  state: "merged" | "open";
  /** When it was decided, RFC 3339: the merge time for merged requests, now for open ones. */
  at: string;
  /** Files, commits and reviews as they stood then (reviews after the merge left out). */
  snapshot: PullSnapshot;
}

/** What the replay could not see, so the report says it rather than guessing. */
export interface ReplayCoverage {
  /** Start of the window of merged requests, RFC 3339. */
  since?: string;
  /** Reviews are known: decisions are replayed pass/fail; otherwise as the approvals each would need. */
  reviews: boolean;
  /** Open request pull requests were listed (the bot); a checkout cannot see them. */
  openPulls: boolean;
  /** Set when a bound stopped the replay early. */
  partial?: { reason: "requests" | "time" | "pages"; message: string };
  /** Anything else the reader should know (e.g. requesters that could not be identified). */
  notes?: string[];
}

/** Everything an impact report is computed from; plain data, no I/O. */
export interface ImpactInput {
  base: PreparedBase;
  head: PreparedBase;
  /** Users and team members; undefined when membership is not known (eligibility is then reported by team). */
  directory?: DirectorySnapshot;
  requests: ReplayRequest[];
  coverage: ReplayCoverage;
}
