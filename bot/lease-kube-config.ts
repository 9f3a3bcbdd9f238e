import { KubeConfig } from "@kubernetes/client-node";
import { loadKubeConfig } from "../providers/kubernetes-credentials.js";

/**
 * The cluster the periodic-pass Lease lives in: this pod's own (its service account) when the bot
 * runs in Kubernetes, else the current context of KUBECONFIG (a replica run elsewhere, or a test).
 */
export function leaseKubeConfig(env: NodeJS.ProcessEnv): KubeConfig {
  if (env.KUBERNETES_SERVICE_HOST) {
    const kc = new KubeConfig();
    kc.loadFromCluster();
    return kc;
  }
  return loadKubeConfig(env);
}
