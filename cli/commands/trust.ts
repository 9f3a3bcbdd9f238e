import type { Env } from "../../core/env.js";
import { ConfigError } from "../../core/config-error.js";
import { statusOf } from "../../core/certification/certification-status.js";
import { prepareBase, type PreparedBase } from "../../core/evaluate/prepare-base.js";
import { azureTrust } from "../../core/trust/azure-trust.js";
import { describeTrustChange, diffTrust } from "../../core/trust/diff-trust.js";
import { gcpTrust } from "../../core/trust/gcp-trust.js";
import { trustClientsFromEnv } from "../../providers/trust-from-env.js";
import {
  applyTrust,
  readTrust,
  resolveClusterKeys,
  type TrustClients,
} from "../../providers/trust-provider.js";
import { readRepoBase } from "../../tree/read-repo-base.js";
import { EXIT } from "../exit-status.js";
import { paint, type Output } from "../output.js";
import { printJson, reportInvalidFiles } from "../report-failure.js";

/** Options of `jitops plan --trust` (`apply: false`) and `jitops apply`. */
export type TrustOptions = {
  json?: boolean;
  root: string;
  /** Only this cloud's trust; default every cloud policy names. */
  provider?: "gcp" | "azure";
} & (
  | { apply: true }
  /** `now`: when certifications are judged; plan --trust reports workloads whose certification lapsed. */
  | { apply: false; now: Date }
);

/** A workload whose certification lapsed or never happened: its trust is reported as uncertified. */
interface Uncertified {
  workload: string;
  policy: string;
  onNoResponse: string;
  /** When the certification lapsed; absent when it was never certified. */
  lapsedOn?: string;
}

/** Workloads that a policy puts under certification and whose certification lapsed (from Git). */
function uncertifiedWorkloads(base: PreparedBase, names: string[], now: Date): Uncertified[] {
  const certs = base.certifications;
  if (!certs) return [];
  return names.flatMap((name) => {
    const s = statusOf(certs, "workload", name, now);
    if (!s?.lapsed) return [];
    return [
      {
        workload: name,
        policy: s.policy,
        onNoResponse: s.item.onNoResponse,
        ...(s.due ? { lapsedOn: s.due.toISOString() } : {}),
      },
    ];
  });
}

const count = (n: number, what: string) => `${n} ${what}${n === 1 ? "" : "s"}`;

/**
 * `jitops plan --trust` (report drift) and `jitops apply` (fix it): make the clouds' workload trust
 * match policy `workloads`. Exit 0 in sync or applied, 1 on drift left or an invalid policy, 2 when
 * policy names no trust to check, 3 when a cloud refused a change.
 */
export async function runTrust(
  opts: TrustOptions,
  o: Output,
  env: Env,
  clients?: TrustClients,
): Promise<number> {
  const base = prepareBase(await readRepoBase(opts.root));
  if (!base.loaded.policy) {
    return reportInvalidFiles(
      o,
      opts.json === true,
      base.loaded.results,
      "the policy under policies/ has errors; nothing was compared (jitops validate shows them)",
    );
  }
  const { workloads, clusters = [] } = base.loaded.policy.source;
  const gcp =
    opts.provider === "azure" ? { providers: [], serviceAccounts: [] } : gcpTrust(workloads, clusters);
  const azure = opts.provider === "gcp" ? [] : azureTrust(workloads, clusters);
  const places = gcp.providers.length + gcp.serviceAccounts.length + azure.length;
  if (places === 0)
    throw new ConfigError(
      `policy declares no workloads with ${opts.provider ? `${opts.provider} ` : ""}grants, so there is no trust to ${opts.apply ? "apply" : "compare"}`,
      "add workloads to a policy file under policies/ (see docs/workloads.md)",
    );
  const checked = [
    gcp.providers.length + gcp.serviceAccounts.length > 0
      ? `gcp: ${count(gcp.providers.length, "provider")}, ${count(gcp.serviceAccounts.length, "service account")}`
      : "",
    azure.length > 0 ? `azure: ${count(azure.length, "application")}` : "",
  ]
    .filter(Boolean)
    .join("; ");
  const c =
    clients ??
    trustClientsFromEnv(env, {
      gcp: gcp.providers.length + gcp.serviceAccounts.length > 0,
      azure: azure.length > 0,
    });
  // Private cluster issuers' keys (jwksUri) are fetched from here, where the cluster is reachable.
  const gcpKeyed = await resolveClusterKeys(gcp);
  const changes = diffTrust(gcpKeyed, azure, await readTrust(c, gcpKeyed, azure));
  if (!opts.apply) {
    const uncertified = uncertifiedWorkloads(
      base,
      workloads.map((w) => w.name),
      opts.now,
    );
    if (opts.json) printJson(o, { drift: changes.length > 0, changes, uncertified });
    else {
      for (const u of uncertified)
        o.out(
          paint(
            o,
            "yellow",
            `uncertified: workload ${u.workload} (policy ${u.policy}: ${u.lapsedOn ? `certification lapsed on ${u.lapsedOn.slice(0, 10)}` : "never certified"}; onNoResponse ${u.onNoResponse})`,
          ),
        );
      o.out(
        changes.length === 0
          ? paint(o, "green", `trust matches policy (${checked})`)
          : paint(o, "red", `drift: ${count(changes.length, "change")} needed (${checked})`),
      );
      for (const ch of changes) o.out(`  ${describeTrustChange(ch)}`);
    }
    return changes.length === 0 ? EXIT.ok : EXIT.findings;
  }
  const res = await applyTrust(c, changes);
  if (opts.json) printJson(o, res);
  else {
    for (const ch of res.done) o.out(`applied: ${describeTrustChange(ch)}`);
    for (const f of res.failed) o.out(`failed: ${describeTrustChange(f.change)}: ${f.error}`);
    if (changes.length === 0) o.out(`trust matches policy (${checked}): nothing to apply`);
  }
  // A change the cloud refused is a runtime failure, like any other cloud error.
  return res.failed.length === 0 ? EXIT.ok : EXIT.runtime;
}
