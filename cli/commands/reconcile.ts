import type { Clock } from "../../core/clock.js";
import type { Env } from "../../core/env.js";
import { reconcileRepo } from "../../app/reconcile-pulls.js";
import { EXIT } from "../exit-status.js";
import type { Output } from "../output.js";
import { remoteContext, type RemoteOptions } from "./remote.js";

/** `jitops reconcile`: re-decides every open PR of a repository (for a cron workflow). */
export async function runReconcile(
  opts: RemoteOptions & { json?: boolean },
  o: Output,
  env: Env,
  now: Clock,
): Promise<number> {
  const { repo, decide } = remoteContext(opts, o, env, now);
  const report = await reconcileRepo(decide, repo);
  if (opts.json) o.out(JSON.stringify(report));
  else {
    o.out(
      `${report.repository}: ${report.open} open pull requests, ${report.decided} decided, ${report.failed.length} failed`,
    );
    for (const f of report.failed) o.out(`  #${f.number}: ${f.error}`);
  }
  // A pull request that could not be decided failed at GitHub: a runtime failure.
  return report.failed.length === 0 ? EXIT.ok : EXIT.runtime;
}
