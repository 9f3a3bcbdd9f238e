import type { TrustRule } from "./trust-rule.js";

/**
 * The trust rule of a Kubernetes service account federating through its cluster's OIDC issuer
 * (GKE and AKS workload identity): the token's `sub` is `system:serviceaccount:NS:NAME`. The next
 * workload profile after GitHub Actions; the trust model needs nothing GitHub-specific for it.
 */
export function kubernetesServiceAccountRule(
  workload: string,
  issuer: string,
  namespace: string,
  serviceAccount: string,
): TrustRule {
  return {
    workload,
    issuer,
    claims: [{ claim: "sub", equals: `system:serviceaccount:${namespace}:${serviceAccount}` }],
  };
}
