import { KubeConfig } from "@kubernetes/client-node";
import { delimiter, join } from "node:path";
import { CredentialsError } from "./credentials-error.js";
import { THIS_HOST, type HostProbe } from "./host-probe.js";

/** Where a pod's service account token is mounted. */
export const IN_CLUSTER_TOKEN = "/var/run/secrets/kubernetes.io/serviceaccount/token";

const HINT = "set KUBECONFIG to a kubeconfig with one context per cluster named in policy grants";

/**
 * The kubeconfig files client-node's `loadFromDefault` would read, checked first: where it finds
 * none it quietly makes up a context for http://localhost:8080, so every policy cluster would fail
 * later as "not configured". Returns the files, or `[]` inside a pod (its service account).
 */
export function kubeconfigFiles(env: NodeJS.ProcessEnv, probe: HostProbe = THIS_HOST): string[] {
  if (env.KUBECONFIG) {
    const files = env.KUBECONFIG.split(probe.platform === "win32" ? ";" : delimiter).filter(Boolean);
    const missing = files.find((f) => !probe.exists(f));
    if (missing)
      throw new CredentialsError(
        "kubernetes",
        "credentials.file-missing",
        `Kubernetes credentials: KUBECONFIG names ${missing}, which does not exist`,
        "point KUBECONFIG at existing kubeconfig files (separated by ':'), or unset it to use ~/.kube/config",
      );
    return files;
  }
  const home = probe.platform === "win32" ? env.USERPROFILE || env.HOME : env.HOME;
  const file = home ? join(home, ".kube", "config") : undefined;
  if (file && probe.exists(file)) return [file];
  if (probe.exists(IN_CLUSTER_TOKEN)) return [];
  throw new CredentialsError(
    "kubernetes",
    "credentials.missing",
    `no Kubernetes credentials: KUBECONFIG is not set, ${file ?? "~/.kube/config"} is not there, ` +
      `and this is not a pod (no service account token at ${IN_CLUSTER_TOKEN})`,
    HINT,
  );
}

/** The KubeConfig of the environment, checked: its files exist and it has at least one context. */
export function loadKubeConfig(env: NodeJS.ProcessEnv, probe: HostProbe = THIS_HOST): KubeConfig {
  const files = kubeconfigFiles(env, probe);
  const kc = new KubeConfig();
  if (files.length === 0) kc.loadFromCluster();
  else
    files.forEach((f, i) => {
      if (i === 0) return kc.loadFromFile(f);
      const more = new KubeConfig();
      more.loadFromFile(f);
      kc.mergeConfig(more);
    });
  if (kc.getContexts().length === 0)
    throw new CredentialsError(
      "kubernetes",
      "credentials.missing",
      `no Kubernetes credentials: the kubeconfig ${files.join(", ")} has no contexts`,
      "add one context per cluster named in policy grants (jitops uses the context name as the cluster name)",
    );
  return kc;
}
