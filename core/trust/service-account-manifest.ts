import { parseDuration } from "../duration.js";
import type { Cluster, KubernetesWorkload } from "../types.js";
import { gkePool } from "./cluster-principals.js";
import { clusterProvider } from "./gcp-trust.js";

/** Where the projected service-account token for GCP is mounted in the pod (a non-GKE cluster). */
export const GCP_TOKEN_PATH = "/var/run/service-account/token";
/** Where the credential configuration is mounted, for `GOOGLE_APPLICATION_CREDENTIALS`. */
export const GCP_CONFIG_PATH = "/var/run/gcp/credential-configuration.json";

/** A Kubernetes object as plain data, ready to print as YAML or JSON. */
export type Manifest = Record<string, unknown>;

/** What a pod needs from policy: its ServiceAccount (and a ConfigMap off GKE), pod labels, and what to mount. */
export interface PodSetup {
  workload: string;
  cluster: string;
  manifests: Manifest[];
  /** Labels the pod template must carry (Azure's webhook only mutates labelled pods). */
  podLabels: Record<string, string>;
  /** What the pod spec needs besides (projected volumes, environment), one sentence each. */
  notes: string[];
}

/** Longest GCP access token a pod asks for: its workload's maxLifetime, at most one hour. */
function lifetimeSeconds(w: KubernetesWorkload): number {
  return Math.min((parseDuration(w.maxLifetime) ?? 60) * 60, 3600);
}

/**
 * The cluster side of a pod workload, rendered from the same policy as the cloud side: the
 * ServiceAccount with Azure Workload Identity's client-id and tenant-id annotations and, on GKE, the
 * `iam.gke.io/gcp-service-account` annotation (the impersonation form); off GKE, a ConfigMap holding
 * the `external_account` credential configuration that reads the projected token from a file.
 * Only the first grant of each cloud is rendered: a ServiceAccount holds one identity per cloud.
 */
export function podSetup(w: KubernetesWorkload, cluster: Cluster): PodSetup {
  const { namespace, serviceAccount } = w.kubernetes;
  const annotations: Record<string, string> = {};
  const podLabels: Record<string, string> = {};
  const notes: string[] = [];
  const extra: Manifest[] = [];
  const gcp = w.grants.find((g) => "gcp" in g);
  const azure = w.grants.find((g) => "azure" in g);
  if (gcp && "gcp" in gcp && cluster.gcp?.gke) {
    annotations["iam.gke.io/gcp-service-account"] = gcp.gcp.serviceAccount;
    notes.push(
      `GKE: run the pod on a node pool with the GKE metadata server (--workload-metadata=GKE_METADATA); it exchanges the pod's token in ${gkePool(cluster.gcp)} and impersonates ${gcp.gcp.serviceAccount}`,
    );
  } else if (gcp && "gcp" in gcp) {
    const provider = clusterProvider(cluster);
    if (provider) {
      const config = {
        type: "external_account",
        audience: `//iam.googleapis.com/${provider}`,
        subject_token_type: "urn:ietf:params:oauth:token-type:jwt",
        token_url: "https://sts.googleapis.com/v1/token",
        service_account_impersonation_url: `https://iamcredentials.googleapis.com/v1/projects/-/serviceAccounts/${gcp.gcp.serviceAccount}:generateAccessToken`,
        service_account_impersonation: { token_lifetime_seconds: lifetimeSeconds(w) },
        credential_source: { file: GCP_TOKEN_PATH, format: { type: "text" } },
      };
      extra.push({
        apiVersion: "v1",
        kind: "ConfigMap",
        metadata: { name: `${serviceAccount}-gcp-credentials`, namespace },
        data: { "credential-configuration.json": `${JSON.stringify(config, null, 2)}\n` },
      });
      notes.push(
        `GCP: mount a projected serviceAccountToken at ${GCP_TOKEN_PATH} with audience https://iam.googleapis.com/${provider}, mount the ConfigMap ${serviceAccount}-gcp-credentials at ${GCP_CONFIG_PATH.replace(/\/[^/]+$/, "")}, and set GOOGLE_APPLICATION_CREDENTIALS=${GCP_CONFIG_PATH}`,
      );
    }
  }
  if (azure && "azure" in azure) {
    annotations["azure.workload.identity/client-id"] = azure.azure.clientId;
    annotations["azure.workload.identity/tenant-id"] = azure.azure.tenantId;
    podLabels["azure.workload.identity/use"] = "true";
    notes.push(
      'Azure: the Workload Identity webhook mounts a token for api://AzureADTokenExchange in pods labelled azure.workload.identity/use: "true" and sets AZURE_CLIENT_ID, AZURE_TENANT_ID, AZURE_FEDERATED_TOKEN_FILE (DefaultAzureCredential reads them)',
    );
  }
  const sa: Manifest = {
    apiVersion: "v1",
    kind: "ServiceAccount",
    metadata: {
      name: serviceAccount,
      namespace,
      ...(Object.keys(annotations).length > 0 ? { annotations } : {}),
      labels: { "app.kubernetes.io/managed-by": "jitops", "jitops.dev/workload": w.name },
    },
  };
  return { workload: w.name, cluster: cluster.name, manifests: [sa, ...extra], podLabels, notes };
}
