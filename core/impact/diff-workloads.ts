import { parseDuration } from "../duration.js";
import { azureTrust } from "../trust/azure-trust.js";
import { describeTrustChange, diffTrust, type ActualTrust } from "../trust/diff-trust.js";
import { gcpTrust } from "../trust/gcp-trust.js";
import { isKubernetesWorkload, type Policy, type Workload } from "../types.js";

/** How a workload's access to one cloud identity changed between the base and the head policy. */
export interface WorkloadChange {
  workload: string;
  cloud: "gcp" | "azure";
  /** The GCP service account, or the Azure app as `tenant/client`. */
  target: string;
  /** gained/lost: the access appears or goes; narrowed/widened: a constraint is added or dropped; changed: it moves. */
  change: "gained" | "lost" | "narrowed" | "widened" | "changed";
  /** Who holds the access, as the head policy says (the base's when lost). */
  who: string;
  why: string[];
}

/** The claims-side constraints of one workload, by name, as they read in policy. */
type Constraints = Record<string, string | undefined>;

interface Access {
  workload: string;
  cloud: "gcp" | "azure";
  target: string;
  who: string;
  constraints: Constraints;
  maxLifetime: string;
}

function accessOf(workloads: Workload[]): Map<string, Access> {
  const out = new Map<string, Access>();
  for (const w of workloads) {
    const constraints: Constraints = isKubernetesWorkload(w)
      ? {
          cluster: w.kubernetes.cluster,
          namespace: w.kubernetes.namespace,
          serviceAccount: w.kubernetes.serviceAccount,
        }
      : {
          issuer: w.issuer,
          repository: `${w.repository} (id ${w.repositoryId}, owner id ${w.ownerId})`,
          ref: w.ref,
          environment: w.environment,
          workflow: w.workflow,
        };
    const who = isKubernetesWorkload(w)
      ? `cluster ${w.kubernetes.cluster}, namespace ${w.kubernetes.namespace}, service account ${w.kubernetes.serviceAccount}`
      : [
          `${w.repository} (id ${w.repositoryId})`,
          w.ref ? `ref ${w.ref}` : "any ref",
          w.environment ? `environment ${w.environment}` : undefined,
          w.workflow ? `workflow ${w.workflow}` : undefined,
        ]
          .filter(Boolean)
          .join(", ");
    for (const g of w.grants) {
      const cloud = "gcp" in g ? "gcp" : "azure";
      const target = "gcp" in g ? g.gcp.serviceAccount : `${g.azure.tenantId}/${g.azure.clientId}`;
      out.set(`${w.name}\u0000${cloud}\u0000${target}`, {
        workload: w.name,
        cloud,
        target,
        who,
        constraints,
        maxLifetime: w.maxLifetime,
      });
    }
  }
  return out;
}

/**
 * Which workloads gain or lose which cloud identities, and whose constraints (repository, ref,
 * environment, workflow; cluster, namespace, service account; lifetime) narrow, widen or move.
 */
export function diffWorkloads(base: Policy, head: Policy): WorkloadChange[] {
  const before = accessOf(base.workloads);
  const after = accessOf(head.workloads);
  const changes: WorkloadChange[] = [];
  for (const [key, a] of after) {
    const b = before.get(key);
    const id = { workload: a.workload, cloud: a.cloud, target: a.target, who: a.who };
    if (!b) {
      changes.push({ ...id, change: "gained", why: [`gains ${a.target} (${a.cloud}) for ${a.who}`] });
      continue;
    }
    const why: string[] = [];
    const moves = new Set<"narrowed" | "widened" | "changed">();
    for (const k of new Set([...Object.keys(b.constraints), ...Object.keys(a.constraints)])) {
      const was = b.constraints[k];
      const now = a.constraints[k];
      if (was === now) continue;
      if (was === undefined) {
        moves.add("narrowed");
        why.push(`${k} must now be ${now}`);
      } else if (now === undefined) {
        moves.add("widened");
        why.push(`any ${k} now (was ${was})`);
      } else {
        moves.add("changed");
        why.push(`${k} ${was} → ${now}`);
      }
    }
    if (a.maxLifetime !== b.maxLifetime) {
      const longer = (parseDuration(a.maxLifetime) ?? 0) > (parseDuration(b.maxLifetime) ?? 0);
      moves.add(longer ? "widened" : "narrowed");
      why.push(`maxLifetime ${b.maxLifetime} → ${a.maxLifetime}`);
    }
    if (why.length === 0) continue;
    const change = moves.has("changed") || moves.size > 1 ? "changed" : [...moves][0]!;
    changes.push({ ...id, change, why });
  }
  for (const [key, b] of before)
    if (!after.has(key))
      changes.push({
        workload: b.workload,
        cloud: b.cloud,
        target: b.target,
        who: b.who,
        change: "lost",
        why: [`loses ${b.target} (${b.cloud}) for ${b.who}`],
      });
  return changes;
}

/**
 * The changes `jitops apply` would make to the clouds' trust when the head policy replaces the
 * base: both rendered, the base's taken as what the cloud holds. Empty when the renders agree.
 */
export function trustChanges(base: Policy, head: Policy): string[] {
  try {
    const gcpBase = gcpTrust(base.workloads, base.clusters);
    const actual: ActualTrust = {
      gcpProviders: gcpBase.providers.map((p) => ({
        provider: p.provider,
        attributeMapping: p.attributeMapping,
        attributeCondition: p.attributeCondition,
        ...(p.oidc
          ? {
              oidc: {
                issuerUri: p.oidc.issuerUri,
                ...(p.oidc.jwksJson ? { jwksJson: p.oidc.jwksJson } : {}),
              },
            }
          : {}),
      })),
      gcpServiceAccounts: gcpBase.serviceAccounts,
      azureApps: azureTrust(base.workloads, base.clusters),
    };
    return diffTrust(
      gcpTrust(head.workloads, head.clusters),
      azureTrust(head.workloads, head.clusters),
      actual,
    ).map(describeTrustChange);
  } catch (e) {
    // A policy load-policy accepted always renders; if one does not, say so rather than hide it.
    return [`the trust could not be rendered: ${(e as Error).message}`];
  }
}
