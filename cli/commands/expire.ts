import type { Clock } from "../../core/clock.js";
import type { Env } from "../../core/env.js";
import { sweepExpired } from "../../app/sweep-expired.js";
import { providersFromEnv } from "../../providers/from-env.js";
import { EXIT } from "../exit-status.js";
import type { Output } from "../output.js";
import { remoteContext, type RemoteOptions } from "./remote.js";

/** `jitops expire`: removes expired bindings and merges revert PRs; also adds missing and removes stray bindings. */
export async function runExpire(
  opts: RemoteOptions & { json?: boolean },
  o: Output,
  env: Env,
  now: Clock,
): Promise<number> {
  const { repo, decide } = remoteContext(opts, o, env, now);
  const report = await sweepExpired(
    { providers: providersFromEnv(env), clock: now, log: decide.log, memory: decide.memory },
    decide,
    repo,
  );
  if (opts.json) o.out(JSON.stringify(report));
  else {
    const p = report.plan;
    o.out(
      `${opts.repo}@${report.headSha.slice(0, 12)}: ${p.add.length} added, ${p.update.length} extended, ${p.remove.length} removed, ${report.reverts.length} reverts`,
    );
    for (const f of report.failed) o.out(`  failed ${f.id}: ${f.error}`);
    for (const u of report.unverified) o.out(`  not granted ${u.path}: ${u.reason}`);
    for (const v of report.reverts)
      o.out(`  revert ${v.name}: #${v.pr} ${v.merged ? "merged" : `open (${v.reason ?? "?"})`}`);
  }
  // A binding that could not be changed failed at a cloud: a runtime failure.
  return report.failed.length === 0 ? EXIT.ok : EXIT.runtime;
}
