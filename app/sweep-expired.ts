import { expiringEvent } from "../core/events/build-events.js";
import { decidePull, type DecideDeps } from "./decide-pull.js";
import type { RepoPorts } from "./ports.js";
import { reconcileGrants, type GrantDeps, type GrantReport } from "./reconcile-grants.js";

/** How far ahead a sweep tells people their access ends. */
export const EXPIRING_NOTICE_MS = 30 * 60_000;

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
  repo: RepoPorts,
  /** `false` (periodic passes of a replicated bot): a new revert PR is merged by a later pass, once the delivery of its opening wrote its check run. */
  opts: { createCheck?: boolean } = {},
): Promise<SweepReport> {
  const report = await reconcileGrants(deps, repo);
  // People hear ahead that their access ends (once per binding and end: the event id).
  const now = deps.clock();
  for (const b of report.bindings) {
    const left = Date.parse(b.notAfter) - now.getTime();
    if (left > 0 && left <= EXPIRING_NOTICE_MS)
      deps.events?.emit(
        expiringEvent({ now, repository: repo.repository, commit: report.headSha, binding: b }),
      );
  }
  const reverts: SweepReport["reverts"] = [];
  for (const e of report.expired) {
    try {
      const pr = await repo.openRevertPr({
        ...e,
        defaultBranch: report.defaultBranch,
        headSha: report.headSha,
      });
      const decided = await decidePull(
        decide,
        repo,
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
      const merge = await repo.merge(pr, decided.headSha);
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
