import { sweepExpired } from "../../grants/sweep-expired.js";
import { providersFromEnv } from "../../providers/from-env.js";
import { EXIT } from "../exit-status.js";
import type { Output } from "../output.js";
import { parseRepo, remoteDecideDeps, type RemoteOptions } from "./remote.js";

/** `jitops expire`: removes expired bindings and merges revert PRs; also adds missing and removes stray bindings. */
export async function runExpire(
  opts: RemoteOptions & { json?: boolean },
  o: Output,
  env: NodeJS.ProcessEnv,
  now: () => Date,
): Promise<number> {
  const r = parseRepo(opts.repo);
  const decide = remoteDecideDeps(opts, o, env, now);
  const report = await sweepExpired(
    { gh: decide.gh, providers: providersFromEnv(env), now, log: decide.log },
    decide,
    r,
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
