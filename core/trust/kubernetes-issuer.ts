import type { Cluster, KubernetesWorkload } from "../types.js";
import type { TrustRule } from "./trust-rule.js";

/** The `sub` a cluster puts in a service account's tokens: `system:serviceaccount:NS:NAME`. */
export function kubernetesSubject(namespace: string, serviceAccount: string): string {
  return `system:serviceaccount:${namespace}:${serviceAccount}`;
}

/**
 * The trust rule of a Kubernetes service account federating through its cluster's OIDC issuer
 * (GKE and AKS workload identity, or any cluster): the token's `sub` is `system:serviceaccount:NS:NAME`.
 * The namespace is part of the subject, so one claim pins both.
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
    claims: [{ claim: "sub", equals: kubernetesSubject(namespace, serviceAccount) }],
  };
}

/** The trust rule of a pod workload, through the cluster policy declares for it. */
export function podRule(w: KubernetesWorkload, cluster: Cluster): TrustRule {
  return kubernetesServiceAccountRule(
    w.name,
    cluster.issuer,
    w.kubernetes.namespace,
    w.kubernetes.serviceAccount,
  );
}
