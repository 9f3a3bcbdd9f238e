import { KubeConfig } from "@kubernetes/client-node";
import { loadKubeConfig } from "../providers/kubernetes-credentials.js";
import type { Env } from "../core/env.js";

/**
 * The cluster the periodic-pass Lease lives in: this pod's own (its service account) when the bot
 * runs in Kubernetes, else the current context of KUBECONFIG (a replica run elsewhere, or a test).
 */
export function leaseKubeConfig(env: Env): KubeConfig {
  if (env.KUBERNETES_SERVICE_HOST) {
    const kc = new KubeConfig();
    kc.loadFromCluster();
    return kc;
  }
  return loadKubeConfig(env);
}
