/** Embedded GitHub simulator: REST on loopback, signed webhooks, and a state API (used by `jitops demo` and e2e tests). */
export { createGitHubSim, GitHubSim, type GitHubSimOptions } from "./github-sim.js";
export type { ApiCall } from "./server.js";
export type { FaultSpec } from "./faults.js";
export type { Delivery, WebhookTarget } from "./webhooks.js";
export type { FileEdits } from "./state.js";
export type { MergeOutcome, SubmittedReviewState } from "./operations.js";
export { SimRequestError } from "./errors.js";
export type {
  AccountType,
  CommitAuthor,
  CheckConclusion,
  CheckStatus,
  ReviewState,
  SimApp,
  SimCheckRun,
  SimComment,
  SimInstallation,
  SimIssue,
  SimLabel,
  SimPull,
  SimRepo,
  SimReview,
  SimStatus,
  SimTeam,
  SimUser,
} from "./types.js";
