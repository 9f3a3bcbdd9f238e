import { stringify } from "yaml";
import { prepareBase } from "../../core/evaluate/prepare-base.js";
import { podSetup } from "../../core/trust/service-account-manifest.js";
import { isKubernetesWorkload } from "../../core/types.js";
import { readRepoBase } from "../../tree/read-repo-base.js";
import { UsageError } from "../command-spec.js";
import { EXIT } from "../exit-status.js";
import type { Output } from "../output.js";
import { printJson, reportInvalidFiles } from "../report-failure.js";

/** What `jitops render` can print. */
export const RENDER_KINDS = ["serviceaccount"] as const;

/** Options of `jitops render serviceaccount <workload>`. */
export interface RenderOptions {
  json?: boolean;
  root: string;
}

/**
 * `jitops render serviceaccount <workload>`: the ServiceAccount (and, off GKE, the credential
 * ConfigMap) a pod workload's pods run as, from the same policy `jitops apply` writes the clouds'
 * trust from. Exit 0 printed, 1 the policy is invalid, 2 an unknown kind or workload.
 */
export async function runRender(
  kind: string,
  workload: string,
  opts: RenderOptions,
  o: Output,
): Promise<number> {
  if (!(RENDER_KINDS as readonly string[]).includes(kind))
    throw new UsageError(`render ${kind} is not accepted; accepted: ${RENDER_KINDS.join(", ")}`);
  const base = prepareBase(await readRepoBase(opts.root));
  const policy = base.loaded.policy;
  if (!policy) {
    return reportInvalidFiles(
      o,
      opts.json === true,
      base.loaded.results,
      "the policy under policies/ has errors; nothing was rendered (jitops validate shows them)",
    );
  }
  const pods = policy.source.workloads.filter(isKubernetesWorkload);
  const w = policy.source.workloads.find((x) => x.name === workload);
  if (!w)
    throw new UsageError(
      `workload ${workload} is not in policy; pod workloads: ${pods.map((p) => p.name).join(", ") || "none"}`,
    );
  if (!isKubernetesWorkload(w))
    throw new UsageError(
      `workload ${workload} is a GitHub Actions workload (it gets credentials from the Action's credentials mode); pod workloads: ${pods.map((p) => p.name).join(", ") || "none"}`,
    );
  // load-policy guarantees the cluster exists for a valid policy.
  const cluster = (policy.source.clusters ?? []).find((c) => c.name === w.kubernetes.cluster)!;
  const setup = podSetup(w, cluster);
  if (opts.json) {
    printJson(o, { ok: true, ...setup });
    return EXIT.ok;
  }
  const header = [
    `# jitops render serviceaccount ${w.name}: pods in ${w.kubernetes.namespace} on cluster ${cluster.name}`,
    ...(Object.keys(setup.podLabels).length > 0
      ? [`# pod template labels: ${JSON.stringify(setup.podLabels)}`]
      : []),
    ...setup.notes.map((n) => `# ${n}`),
  ];
  o.out(
    [header.join("\n"), ...setup.manifests.map((m) => stringify(m, { lineWidth: 0 }).trimEnd())].join(
      "\n---\n",
    ),
  );
  return EXIT.ok;
}
