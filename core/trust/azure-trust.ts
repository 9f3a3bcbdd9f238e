import { isKubernetesWorkload, type Cluster, type Workload } from "../types.js";
import { AZURE_AUDIENCE, GITHUB_ACTIONS_ISSUER, githubSubject } from "./github-actions-issuer.js";
import { kubernetesSubject } from "./kubernetes-issuer.js";

/** A federated identity credential as Microsoft Graph takes it. */
export interface FederatedCredential {
  name: string;
  issuer: string;
  subject: string;
  audiences: string[];
}

/** The federated credentials one app registration (by client id) needs. */
export interface AzureAppTrust {
  tenantId: string;
  clientId: string;
  credentials: FederatedCredential[];
}

/** Most federated credentials Entra allows on one app or identity. */
export const MAX_FEDERATED_CREDENTIALS = 20;

/** Longest issuer and subject Entra accepts on a federated credential. */
export const MAX_FEDERATED_FIELD = 600;

/** The issuer and exact subject Entra must match for a workload, or undefined when its cluster is unknown. */
export function federatedIdentity(
  w: Workload,
  clusters: Cluster[] = [],
): { issuer: string; subject: string } | undefined {
  if (isKubernetesWorkload(w)) {
    const cluster = clusters.find((c) => c.name === w.kubernetes.cluster);
    if (!cluster) return undefined;
    return {
      issuer: cluster.issuer,
      subject: kubernetesSubject(w.kubernetes.namespace, w.kubernetes.serviceAccount),
    };
  }
  return { issuer: w.issuer ?? GITHUB_ACTIONS_ISSUER, subject: githubSubject(w) };
}

/**
 * Renders the Azure trust: one federated credential per workload and app, named `jitops-<workload>`
 * (names are immutable in Entra), with the exact subject the issuer puts in tokens (a GitHub job's, or
 * a pod's `system:serviceaccount:NS:SA`) and the one audience allowed.
 */
export function azureTrust(workloads: Workload[], clusters: Cluster[] = []): AzureAppTrust[] {
  const apps = new Map<string, AzureAppTrust>();
  for (const w of workloads) {
    for (const g of w.grants) {
      if (!("azure" in g)) continue;
      const id = federatedIdentity(w, clusters);
      if (!id) continue; // an unknown cluster: load-policy refuses it
      const key = `${g.azure.tenantId}/${g.azure.clientId}`;
      const app = apps.get(key) ?? {
        tenantId: g.azure.tenantId,
        clientId: g.azure.clientId,
        credentials: [],
      };
      app.credentials.push({ name: `jitops-${w.name}`, ...id, audiences: [AZURE_AUDIENCE] });
      apps.set(key, app);
    }
  }
  return [...apps.values()];
}
