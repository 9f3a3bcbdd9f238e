import { isKubernetesWorkload, type Cluster, type GitHubWorkload, type Workload } from "../types.js";
import { gkePrincipal, poolPrincipal } from "./cluster-principals.js";
import { githubActionsRule } from "./github-actions-issuer.js";
import { podRule } from "./kubernetes-issuer.js";
import type { TrustRule } from "./trust-rule.js";

/** The OIDC side of a provider jitops owns (one per non-GKE cluster): the issuer and, when private, its keys. */
export interface GcpProviderOidc {
  issuerUri: string;
  /** The JWKS as GCP stores it (a JSON string), for an issuer GCP cannot reach. */
  jwksJson?: string;
  /** Where to fetch that JWKS when applying (resolved to jwksJson by the trust provider). */
  jwksUri?: string;
}

/** The trust one GCP workload identity provider needs: its attribute mapping and condition. */
export interface GcpProviderTrust {
  provider: string;
  attributeMapping: Record<string, string>;
  attributeCondition: string;
  /** Set for providers jitops creates (a cluster's issuer); GitHub providers are created by hand. */
  oidc?: GcpProviderOidc;
}

/** The `roles/iam.workloadIdentityUser` members one service account needs. */
export interface GcpServiceAccountTrust {
  serviceAccount: string;
  members: string[];
}

/** The whole desired GCP trust configuration. */
export interface GcpTrust {
  providers: GcpProviderTrust[];
  serviceAccounts: GcpServiceAccountTrust[];
}

/** The role a federated principal needs on a service account to impersonate it. */
export const WORKLOAD_IDENTITY_USER = "roles/iam.workloadIdentityUser";

const attr = (name: string) => `attribute.${name}`;

const MAPPING = {
  "google.subject": "assertion.sub",
  [attr("repository_id")]: "assertion.repository_id",
  [attr("repository_owner_id")]: "assertion.repository_owner_id",
};

/**
 * A Kubernetes provider's mapping. The claims under `kubernetes.io` hold a dot in their name, so CEL
 * reaches them only in the bracket form.
 */
const POD_MAPPING = {
  "google.subject": "assertion.sub",
  [attr("namespace")]: "assertion['kubernetes.io']['namespace']",
  [attr("service_account_name")]: "assertion['kubernetes.io']['serviceaccount']['name']",
};

function quote(s: string): string {
  return `'${s.replace(/\\/g, "\\\\").replace(/'/g, "\\'")}'`;
}

/** A rule as CEL over the token's claims (`assertion.*`). */
export function ruleCondition(rule: TrustRule): string {
  return rule.claims
    .map((c) =>
      c.equals !== undefined
        ? `assertion.${c.claim} == ${quote(c.equals)}`
        : `assertion.${c.claim}.startsWith(${quote(c.prefix ?? "")})`,
    )
    .join(" && ");
}

/** The pool part of a provider name: `projects/N/locations/global/workloadIdentityPools/P`. */
export function poolOf(provider: string): string {
  return provider.replace(/\/providers\/[^/]+$/, "");
}

/** The provider jitops keeps for a non-GKE cluster: `POOL/providers/ID` (ID defaults to the cluster name). */
export function clusterProvider(cluster: Cluster): string | undefined {
  const g = cluster.gcp;
  if (!g || g.gke || !g.workloadIdentityPool) return undefined;
  return `${g.workloadIdentityPool}/providers/${g.providerId ?? cluster.name}`;
}

/** What a pod's provider condition says: its exact subject, and (bracket form) its namespace. */
function podCondition(namespace: string, rule: TrustRule): string {
  return `${ruleCondition(rule)} && assertion['kubernetes.io']['namespace'] == ${quote(namespace)}`;
}

/**
 * Renders the GCP trust for the policy's workloads. GitHub: per provider, a condition admitting exactly
 * the workloads' claims, and per service account a principalSet keyed on the immutable repository id.
 * Pods on GKE: the KSA's principal in the project's `svc.id.goog` pool. Pods elsewhere: a provider for
 * the cluster's issuer admitting exactly the workloads' subjects, and the subject's principal.
 */
export function gcpTrust(workloads: Workload[], clusters: Cluster[] = []): GcpTrust {
  const providers = new Map<string, GcpProviderTrust & { conds: string[] }>();
  const bySa = new Map<string, Set<string>>();
  const member = (sa: string, m: string) => (bySa.get(sa) ?? bySa.set(sa, new Set()).get(sa)!).add(m);
  const condition = (
    provider: string,
    mapping: Record<string, string>,
    cond: string,
    oidc?: GcpProviderOidc,
  ) => {
    const p = providers.get(provider) ?? {
      provider,
      attributeMapping: { ...mapping },
      attributeCondition: "",
      conds: [],
      ...(oidc ? { oidc } : {}),
    };
    if (!p.conds.includes(`(${cond})`)) p.conds.push(`(${cond})`);
    providers.set(provider, p);
  };
  for (const w of workloads) {
    if (isKubernetesWorkload(w)) {
      const cluster = clusters.find((c) => c.name === w.kubernetes.cluster);
      const g = cluster?.gcp;
      if (!cluster || !g) continue; // load-policy refuses both; nothing to render
      const { namespace, serviceAccount: ksa } = w.kubernetes;
      for (const grant of w.grants) {
        if (!("gcp" in grant)) continue;
        if (g.gke) {
          member(grant.gcp.serviceAccount, gkePrincipal(g, namespace, ksa));
          continue;
        }
        const provider = clusterProvider(cluster);
        if (!provider) continue;
        condition(provider, POD_MAPPING, podCondition(namespace, podRule(w, cluster)), clusterOidc(cluster));
        member(grant.gcp.serviceAccount, poolPrincipal(poolOf(provider), namespace, ksa));
      }
      continue;
    }
    githubTrust(w, condition, member);
  }
  return {
    providers: [...providers.values()].map(({ conds, ...p }) => ({
      ...p,
      attributeCondition: conds.join(" || "),
    })),
    serviceAccounts: [...bySa].map(([serviceAccount, members]) => ({
      serviceAccount,
      members: [...members].sort(),
    })),
  };
}

function githubTrust(
  w: GitHubWorkload,
  condition: (provider: string, mapping: Record<string, string>, cond: string) => void,
  member: (sa: string, m: string) => void,
): void {
  const rule = githubActionsRule(w);
  for (const g of w.grants) {
    if (!("gcp" in g)) continue;
    const { workloadIdentityProvider: provider, serviceAccount } = g.gcp;
    condition(provider, MAPPING, ruleCondition(rule));
    member(
      serviceAccount,
      `principalSet://iam.googleapis.com/${poolOf(provider)}/attribute.repository_id/${w.repositoryId}`,
    );
  }
}

/** The issuer and keys a cluster's provider is created with. */
function clusterOidc(cluster: Cluster): GcpProviderOidc {
  return {
    issuerUri: cluster.issuer,
    ...(cluster.jwks ? { jwksJson: canonicalJson(cluster.jwks) } : {}),
    ...(cluster.jwksUri && !cluster.jwks ? { jwksUri: cluster.jwksUri } : {}),
  };
}

/** JSON with object keys sorted, so two spellings of one JWKS compare equal. */
export function canonicalJson(value: unknown): string {
  const sort = (v: unknown): unknown =>
    Array.isArray(v)
      ? v.map(sort)
      : v && typeof v === "object"
        ? Object.fromEntries(
            Object.keys(v)
              .sort()
              .map((k) => [k, sort((v as Record<string, unknown>)[k])]),
          )
        : v;
  return JSON.stringify(sort(value));
}
