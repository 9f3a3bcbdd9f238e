import type { CertificationDecided } from "./certify-ports.js";
import { decidePull, type DecideDeps } from "./decide-pull.js";
import type { RepoPorts } from "./ports.js";

/**
 * The certify use case's `decide` port: a certification pull request is decided by the same use
 * case as every pull request (check run, audit, and the merge of an approved head), then summed up
 * as certification needs it: who approved, and why it is not merged.
 */
export function decideCertification(
  deps: DecideDeps,
  repo: RepoPorts,
): (pr: number) => Promise<CertificationDecided> {
  return async (pr) => {
    const d = await decidePull(deps, repo, pr);
    const rules = d.decision?.policy?.rules ?? [];
    return {
      decision: d.decision?.decision,
      headSha: d.headSha,
      merged: d.merge?.merged === true,
      approvers: [...new Set(rules.flatMap((x) => x.approvers))].sort(),
      ...(d.skipped
        ? { reason: d.skipped }
        : d.merge && !d.merge.merged
          ? { reason: d.merge.reason }
          : d.decision && d.decision.decision !== "approved"
            ? { reason: d.decision.reasons.join("; ") }
            : {}),
    };
  };
}
