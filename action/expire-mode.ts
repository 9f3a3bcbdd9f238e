import type { Clock } from "../core/clock.js";
import type { Env } from "../core/env.js";
import { sweepExpired, type SweepReport } from "../app/sweep-expired.js";
import { providersFromEnv } from "../providers/from-env.js";
import type { ActionIO } from "./action-io.js";
import { actionGitHub } from "./decide-deps.js";

/** The job summary's rows: one per binding changed or failed, request not granted, and revert PR. */
function summaryRows(report: SweepReport): string[][] {
  const p = report.plan;
  // Whole seconds, as plan and the grant comment show times.
  const time = (iso: string) => iso.replace(/\.\d+Z$/, "Z");
  const until = (b: { principal: string; notAfter: string }) => `${b.principal} until ${time(b.notAfter)}`;
  const rows = [
    ...p.add.map((b) => ["added", b.id, until(b)]),
    ...p.update.map((b) => ["extended", b.id, until(b)]),
    ...p.remove.map((a) => ["removed", a.id, `${a.principal}, ended ${time(a.notAfter)}`]),
    ...report.failed.map((f) => ["failed", f.id, f.error]),
    ...report.unverified.map((u) => ["not granted", u.path, u.reason]),
    ...report.reverts.map((v) => [
      "revert",
      v.name,
      v.merged ? `#${v.pr} merged` : `${v.pr ? `#${v.pr} ` : ""}open (${v.reason ?? "?"})`,
    ]),
  ];
  return rows.length > 0 ? [["Change", "Binding or request", "Detail"], ...rows] : [];
}

/**
 * `mode: expire`: the sweeper (what `jitops expire` does). Makes the clouds named by
 * JITOPS_PROVIDERS hold exactly what the default branch declares, removing expired bindings, and
 * merges one revert PR per expired request. Cloud credentials are the environment's defaults (a
 * login step before this one). Fails the step when a binding could not be changed.
 */
export async function runExpireMode(io: ActionIO, env: Env, now: Clock): Promise<void> {
  const { repo, deps } = actionGitHub(io, "expire", env, now);
  const providers = providersFromEnv(env);
  if (providers.length === 0)
    io.info("warning: JITOPS_PROVIDERS is empty: no cloud is changed, only revert PRs are opened");
  const report = await sweepExpired(
    {
      providers,
      clock: now,
      log: deps.log,
      memory: deps.memory,
      audit: { write: (e) => io.info(`jitops audit ${JSON.stringify(e)}`) },
    },
    deps,
    repo,
  );
  const p = report.plan;
  const text = `${repo.repository}@${report.headSha.slice(0, 12)}: ${p.add.length} added, ${p.update.length} extended, ${p.remove.length} removed, ${report.reverts.length} reverts`;
  await io.summary({ heading: "jitops: expire", rows: summaryRows(report), text });
  io.setOutput("report", JSON.stringify(report));
  io.info(text);
  for (const f of report.failed) io.info(`  failed ${f.id}: ${f.error}`);
  const [first] = report.failed;
  if (first) {
    const n = report.failed.length;
    io.setFailed(
      `could not change ${n} binding${n === 1 ? "" : "s"} or provider${n === 1 ? "" : "s"}; first: ${first.id}: ${first.error}`,
    );
  }
}
