import { decidePull, type DecideDeps } from "../github/decide-pull.js";
import { mergeApproved } from "../github/merge-pull.js";
import type { RepoRef } from "../github/repo-ref.js";
import { openRevertPr } from "./open-revert-pr.js";
import { reconcileGrants, type GrantDeps, type GrantReport } from "./reconcile-grants.js";

/** What a sweep did: the grant reconcile, and one revert PR per expired request. */
export interface SweepReport extends GrantReport {
  reverts: { name: string; pr: number; merged: boolean; reason?: string }[];
}

/**
 * The sweeper: removes expired bindings (the cloud already refuses them), then opens one revert PR
 * per expired request and merges it once the bot's own check approves it (removals need no
 * approval). Idempotent: a second run finds the bindings gone and the reverts merged.
 */
export async function sweepExpired(
  deps: GrantDeps,
  decide: DecideDeps,
  r: RepoRef,
  /** `false` (periodic passes of a replicated bot): a new revert PR is merged by a later pass, once the delivery of its opening wrote its check run. */
  opts: { createCheck?: boolean } = {},
): Promise<SweepReport> {
  const report = await reconcileGrants(deps, r);
  const reverts: SweepReport["reverts"] = [];
  for (const e of report.expired) {
    try {
      const pr = await openRevertPr(deps.gh, r, {
        ...e,
        defaultBranch: report.defaultBranch,
        headSha: report.headSha,
      });
      const decided = await decidePull(
        decide,
        r,
        pr,
        opts.createCheck === false ? { createCheck: false } : {},
      );
      if (decided.decision?.decision !== "approved") {
        reverts.push({
          name: e.name,
          pr,
          merged: false,
          reason: decided.skipped ?? decided.decision?.reasons.join("; "),
        });
        continue;
      }
      const merge = await mergeApproved(deps.gh, r, pr, decided.headSha);
      reverts.push({
        name: e.name,
        pr,
        merged: merge.merged,
        ...(merge.merged ? {} : { reason: merge.reason }),
      });
    } catch (err) {
      deps.log.warn(`revert of ${e.name} failed: ${(err as Error).message}`);
      reverts.push({ name: e.name, pr: 0, merged: false, reason: (err as Error).message });
    }
  }
  return { ...report, reverts };
}
