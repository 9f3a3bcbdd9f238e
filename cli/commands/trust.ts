import { prepareBase } from "../../core/evaluate/prepare-base.js";
import { azureTrust } from "../../core/trust/azure-trust.js";
import { describeTrustChange, diffTrust } from "../../core/trust/diff-trust.js";
import { gcpTrust } from "../../core/trust/gcp-trust.js";
import { trustClientsFromEnv } from "../../providers/trust-from-env.js";
import { applyTrust, readTrust, type TrustClients } from "../../providers/trust-provider.js";
import { readRepoBase } from "../../tree/read-repo-base.js";
import type { Output } from "../output.js";

/**
 * `jitops plan --trust` (report drift) and `jitops apply` (fix it): make the clouds' workload trust
 * match policy `workloads`. Exit 0 in sync or applied, 1 on drift left or a failed change.
 */
export async function runTrust(
  opts: { apply: boolean; json?: boolean; root: string },
  o: Output,
  env: NodeJS.ProcessEnv,
  clients?: TrustClients,
): Promise<number> {
  const base = prepareBase(await readRepoBase(opts.root));
  if (!base.loaded.policy) {
    o.err("jitops: the policy under policies/ has errors; run jitops validate");
    return 1;
  }
  const workloads = base.loaded.policy.source.workloads;
  const gcp = gcpTrust(workloads);
  const azure = azureTrust(workloads);
  const c = clients ?? trustClientsFromEnv(env, { gcp: gcp.providers.length > 0, azure: azure.length > 0 });
  const changes = diffTrust(gcp, azure, await readTrust(c, gcp, azure));
  if (!opts.apply) {
    if (opts.json) o.out(JSON.stringify({ drift: changes.length > 0, changes }));
    else {
      o.out(
        changes.length === 0
          ? "trust matches policy"
          : `drift: ${changes.length} change${changes.length === 1 ? "" : "s"} needed`,
      );
      for (const ch of changes) o.out(`  ${describeTrustChange(ch)}`);
    }
    return changes.length === 0 ? 0 : 1;
  }
  const res = await applyTrust(c, changes);
  if (opts.json) o.out(JSON.stringify(res));
  else {
    for (const ch of res.done) o.out(`applied: ${describeTrustChange(ch)}`);
    for (const f of res.failed) o.out(`failed: ${describeTrustChange(f.change)}: ${f.error}`);
    if (changes.length === 0) o.out("trust matches policy: nothing to apply");
  }
  return res.failed.length === 0 ? 0 : 1;
}
