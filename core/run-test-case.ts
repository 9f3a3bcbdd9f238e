import type { Decision } from "./evaluate/decision.js";
import { evaluatePull } from "./evaluate/evaluate-pull.js";
import { prepareBase } from "./evaluate/prepare-base.js";
import type { PolicyTestCase } from "./policy-test-case.js";
import type { SourceFile } from "./types.js";

/** A test case's outcome: the decision, and whether it met `expect`. */
export interface CaseOutcome {
  decision: Decision;
  pass: boolean;
  failure?: string;
}

/** Decides a case on its own base tree, or on `repoFiles` when the case has none. */
export function decideCase(c: PolicyTestCase, repoFiles: SourceFile[]): Decision {
  return evaluatePull(prepareBase(c.base ?? repoFiles), c.pr, c.directory, c.now);
}

/** Runs a case and compares the decision (and optional reason substring) with `expect`. */
export function runTestCase(c: PolicyTestCase, repoFiles: SourceFile[]): CaseOutcome {
  const decision = decideCase(c, repoFiles);
  if (!c.expect) return { decision, pass: false, failure: "the case has no expect" };
  if (decision.decision !== c.expect.decision) {
    return {
      decision,
      pass: false,
      failure: `expected ${c.expect.decision}, got ${decision.decision}: ${decision.reasons.join("; ")}`,
    };
  }
  if (c.expect.reason && !decision.reasons.some((r) => r.includes(c.expect!.reason!))) {
    return {
      decision,
      pass: false,
      failure: `no reason contains "${c.expect.reason}"; reasons: ${decision.reasons.join("; ")}`,
    };
  }
  return { decision, pass: true };
}
