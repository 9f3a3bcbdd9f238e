import { reconcileRepo } from "../../github/reconcile.js";
import type { Output } from "../output.js";
import { parseRepo, remoteClient, type RemoteOptions } from "./remote.js";

/** `jitops reconcile`: re-decides every open PR of a repository (for a cron workflow). */
export async function runReconcile(
  opts: RemoteOptions & { json?: boolean },
  o: Output,
  env: NodeJS.ProcessEnv,
  now: () => Date,
): Promise<number> {
  const r = parseRepo(opts.repo);
  const gh = remoteClient(opts, env);
  const report = await reconcileRepo(
    {
      gh,
      now,
      detailsUrl: `https://github.com/${opts.repo}#jitops`,
      audit: { write: (e) => o.err(JSON.stringify(e)) },
      log: { info: (m) => o.err(m), warn: (m) => o.err(`warning: ${m}`) },
    },
    r,
  );
  if (opts.json) o.out(JSON.stringify(report));
  else {
    o.out(
      `${report.repository}: ${report.open} open pull requests, ${report.decided} decided, ${report.failed.length} failed`,
    );
    for (const f of report.failed) o.out(`  #${f.number}: ${f.error}`);
  }
  return report.failed.length === 0 ? 0 : 1;
}
