import type { Clock } from "../core/clock.js";
import type { Env } from "../core/env.js";
import { reconcileRepo } from "../app/reconcile-pulls.js";
import type { ActionIO } from "./action-io.js";
import { actionGitHub } from "./decide-deps.js";

/**
 * `mode: reconcile`: re-decides every open pull request of the repository (what `jitops reconcile`
 * does), so a webhook GitHub never redelivered becomes a delay, not a lost decision. Writes a job
 * summary, sets the `report` output, and fails the step when a pull request could not be decided.
 */
export async function runReconcileMode(io: ActionIO, env: Env, now: Clock): Promise<void> {
  const { repo, deps } = actionGitHub(io, "reconcile", env, now);
  const report = await reconcileRepo(deps, repo);
  const text = `${report.repository}: ${report.open} open pull requests, ${report.decided} decided, ${report.failed.length} failed`;
  const rows = [["Pull request", "Error"], ...report.failed.map((f) => [`#${f.number}`, f.error])];
  await io.summary({ heading: "jitops: reconcile", rows: report.failed.length > 0 ? rows : [], text });
  io.setOutput("report", JSON.stringify(report));
  io.info(text);
  for (const f of report.failed) io.info(`  #${f.number}: ${f.error}`);
  if (report.failed.length > 0)
    io.setFailed(`${report.failed.length} of ${report.open} open pull requests could not be decided`);
}
