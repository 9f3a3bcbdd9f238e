import type { FileError } from "../file-error.js";

/** The four outcomes, strictest last. */
export type DecisionKind = "approved" | "pending" | "denied" | "invalid";

const RANK: Record<DecisionKind, number> = { approved: 0, pending: 1, denied: 2, invalid: 3 };

/** The stricter of two outcomes: invalid over denied over pending over approved. */
export function stricter(a: DecisionKind, b: DecisionKind): DecisionKind {
  return RANK[a] >= RANK[b] ? a : b;
}

/** How one approval rule stands: who counted, out of how many needed. */
export interface RuleResult {
  name: string;
  need: number;
  have: number;
  approvers: string[];
  /** Numeric ids of the approvers, for audit. */
  approverIds: number[];
  /** Teams and users who could still approve, to request reviews from. */
  candidates: { teams: string[]; users: string[] };
  /**
   * Set on a `from: {codeowners: true}` rule when GitHub skips lines of the CODEOWNERS it read:
   * those lines made no one an owner, here as on GitHub, and the check run lists them.
   */
  codeowners?: { path: string; skipped: FileError[] };
}

/** The decision for one request file. */
export interface RequestResult {
  path: string;
  name?: string;
  entitlement?: string;
  principal?: string;
  decision: DecisionKind;
  rules: RuleResult[];
  autoMerge?: boolean;
  breakGlass?: boolean;
}

/** The decision for a pull request, as data; rendered by the CLI, the bot and the audit log. */
export interface Decision {
  decision: DecisionKind;
  reasons: string[];
  requests: RequestResult[];
  /** Present when the PR changes policy, CODEOWNERS or other repository files. */
  policy?: { rules: RuleResult[] };
  /** Every request in the PR has autoMerge and it is approved, or it is an approved certification. */
  autoMerge: boolean;
  /** Present when the PR writes certification records: the policies certified (their rules are in `policy`). */
  certification?: { policies: string[] };
  /** Worth saying on the check run without changing the decision (a lapsed certification with `keep`). */
  warnings?: string[];
}
