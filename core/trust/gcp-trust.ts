import type { Workload } from "../types.js";
import { githubActionsRule } from "./github-actions-issuer.js";
import type { TrustRule } from "./trust-rule.js";

/** The trust one GCP workload identity provider needs: its attribute mapping and condition. */
export interface GcpProviderTrust {
  provider: string;
  attributeMapping: Record<string, string>;
  attributeCondition: string;
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

const MAPPING = {
  "google.subject": "assertion.sub",
  "attribute.repository_id": "assertion.repository_id",
  "attribute.repository_owner_id": "assertion.repository_owner_id",
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

/**
 * Renders the GCP trust for the policy's workloads: per provider, a condition admitting exactly the
 * workloads' claims; per service account, a principalSet keyed on the immutable repository id.
 */
export function gcpTrust(workloads: Workload[]): GcpTrust {
  const byProvider = new Map<string, string[]>();
  const bySa = new Map<string, Set<string>>();
  for (const w of workloads) {
    const rule = githubActionsRule(w);
    for (const g of w.grants) {
      if (!("gcp" in g)) continue;
      const { workloadIdentityProvider: provider, serviceAccount } = g.gcp;
      const conds = byProvider.get(provider) ?? [];
      const cond = `(${ruleCondition(rule)})`;
      if (!conds.includes(cond)) conds.push(cond);
      byProvider.set(provider, conds);
      const member = `principalSet://iam.googleapis.com/${poolOf(provider)}/attribute.repository_id/${w.repositoryId}`;
      (bySa.get(serviceAccount) ?? bySa.set(serviceAccount, new Set()).get(serviceAccount)!).add(member);
    }
  }
  return {
    providers: [...byProvider].map(([provider, conds]) => ({
      provider,
      attributeMapping: { ...MAPPING },
      attributeCondition: conds.join(" || "),
    })),
    serviceAccounts: [...bySa].map(([serviceAccount, members]) => ({
      serviceAccount,
      members: [...members].sort(),
    })),
  };
}
