/** Kinds of GitHub account the simulator knows. */
export type AccountType = "User" | "Bot" | "Organization";

/** A user, bot or organisation account. */
export interface SimUser {
  login: string;
  id: number;
  type: AccountType;
  name: string | null;
  email: string | null;
  createdAt: string;
}

/** An organisation team; `parent` makes its members count for the parent team too. */
export interface SimTeam {
  id: number;
  org: string;
  slug: string;
  name: string;
  parent: string | null;
  members: string[];
}

/** A repository and its branches (`refs` maps branch name to commit sha). */
export interface SimRepo {
  id: number;
  owner: string;
  name: string;
  defaultBranch: string;
  private: boolean;
  createdAt: string;
  pushedAt: string;
  branches: Map<string, string>;
  nextNumber: number;
}

/** Who a commit names: an account login, or a git identity (linked to the account with that email, if any). */
export type CommitAuthor = string | { name: string; email: string };

/** A commit; `files` is the flattened tree (path to blob sha). `author`/`committer` are logins, null when unlinked. */
export interface SimCommit {
  sha: string;
  treeSha: string;
  parents: string[];
  author: string | null;
  authorName: string;
  authorEmail: string;
  committer: string | null;
  committerName: string;
  committerEmail: string;
  message: string;
  date: string;
  files: ReadonlyMap<string, string>;
}

/** One entry of a git tree object. */
export interface TreeEntry {
  name: string;
  mode: "100644" | "040000";
  type: "blob" | "tree";
  sha: string;
  size?: number;
}

/** A label on an issue or pull request. */
export interface SimLabel {
  id: number;
  name: string;
  color: string;
}

/** Review states as REST reports them. */
export type ReviewState = "APPROVED" | "CHANGES_REQUESTED" | "COMMENTED" | "DISMISSED" | "PENDING";

/** A pull request review. */
export interface SimReview {
  id: number;
  user: string;
  state: ReviewState;
  body: string;
  commitId: string;
  submittedAt: string;
}

/** A pull request (its number is shared with issues of the same repository). */
export interface SimPull {
  id: number;
  number: number;
  repo: string;
  user: string;
  title: string;
  body: string | null;
  headRef: string;
  headSha: string;
  baseRef: string;
  state: "open" | "closed";
  draft: boolean;
  merged: boolean;
  mergedAt: string | null;
  mergedBy: string | null;
  mergeCommitSha: string | null;
  /** Base branch sha when the pull request was merged (its commits and files stay as they were). */
  mergedBaseSha: string | null;
  closedAt: string | null;
  createdAt: string;
  updatedAt: string;
  labels: SimLabel[];
  assignees: string[];
  requestedReviewers: string[];
  requestedTeams: string[];
  reviews: SimReview[];
  /** Forced mergeability (`undefined`: computed from conflicts). */
  mergeableOverride: boolean | null | undefined;
  /** Head sha GET reports while replication lag is simulated. */
  visibleHeadSha: string | null;
  previousHeadSha: string | null;
}

/** An issue (not a pull request). */
export interface SimIssue {
  id: number;
  number: number;
  repo: string;
  user: string;
  title: string;
  body: string | null;
  state: "open" | "closed";
  stateReason: "completed" | "not_planned" | "reopened" | null;
  labels: SimLabel[];
  assignees: string[];
  createdAt: string;
  updatedAt: string;
  closedAt: string | null;
}

/** A comment on an issue or pull request conversation. */
export interface SimComment {
  id: number;
  repo: string;
  issueNumber: number;
  user: string;
  body: string;
  createdAt: string;
  updatedAt: string;
}

/** Check run status values accepted by the checks API. */
export type CheckStatus = "queued" | "in_progress" | "completed" | "waiting" | "requested" | "pending";

/** Check run conclusions accepted by the checks API. */
export type CheckConclusion =
  "success" | "failure" | "neutral" | "cancelled" | "skipped" | "timed_out" | "action_required" | "stale";

/** A check run written by the app. */
export interface SimCheckRun {
  id: number;
  suiteId: number;
  repo: string;
  name: string;
  headSha: string;
  status: CheckStatus;
  conclusion: CheckConclusion | null;
  startedAt: string;
  completedAt: string | null;
  externalId: string | null;
  detailsUrl: string | null;
  output: { title: string | null; summary: string | null; text: string | null };
  createdAt: string;
}

/** A commit status. */
export interface SimStatus {
  id: number;
  repo: string;
  sha: string;
  state: "error" | "failure" | "pending" | "success";
  context: string;
  description: string | null;
  targetUrl: string | null;
  creator: string;
  createdAt: string;
}

/** The app's installation on one account (every repository of the account is selected). */
export interface SimInstallation {
  id: number;
  /** Login of the user or organisation the app is installed on. */
  account: string;
  createdAt: string;
}

/** The GitHub App the simulator delivers webhooks to and attributes check runs to. */
export interface SimApp {
  id: number;
  slug: string;
  name: string;
  owner: string;
  /** Id of the first installation (the account of the first repository created). */
  installationId: number;
  /** Login of the app's bot account, `<slug>[bot]`. */
  botLogin: string;
  permissions: Record<string, "read" | "write">;
  events: string[];
  createdAt: string;
}
