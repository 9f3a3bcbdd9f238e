/** How a pull request changed a file. */
export type FileStatus = "added" | "modified" | "removed" | "renamed";

/** A file changed by the pull request; `content` is its text at the head commit (absent when removed). */
export interface ChangedFile {
  path: string;
  status: FileStatus;
  content?: string;
  previousPath?: string;
}

/** A review as GitHub lists it, in chronological order. */
export interface Review {
  user: string;
  /** Numeric user id when the source knows it; else looked up in the directory. */
  userId?: number;
  state: "APPROVED" | "CHANGES_REQUESTED" | "COMMENTED" | "DISMISSED" | "PENDING";
  commit: string;
}

/** Everything about a pull request that a decision may depend on. Title, body and labels grant nothing. */
export interface PullSnapshot {
  author: string;
  authorId?: number;
  head: string;
  files: ChangedFile[];
  commits: { sha: string; author: string | null; authorId?: number }[];
  reviews: Review[];
  labels: string[];
  /** Set when the source could not list every file or commit (GitHub caps them): fails closed. */
  truncated?: "files" | "commits";
}

/** Users (numeric id, type) and team members (logins) known to the decision. */
export interface DirectorySnapshot {
  users: Record<string, { id: number; type?: "User" | "Bot" | "Organization" }>;
  teams: Record<string, string[]>;
}
