import { DefaultAzureCredential } from "@azure/identity";
import { KubeConfig } from "@kubernetes/client-node";
import type { Provider } from "../core/plan/provider.js";
import { armPimClient } from "./azure-pim-client.js";
import { azureProvider } from "./azure-provider.js";
import { resourceManagerClient } from "./gcp-iam-client.js";
import { gcpProvider } from "./gcp-provider.js";
import { kubeRbacClient } from "./kubernetes-rbac-client.js";
import { kubernetesProvider } from "./kubernetes-provider.js";

/** The providers `JITOPS_PROVIDERS` (comma-separated: gcp, azure, kubernetes) names, with default credentials. */
export function providersFromEnv(env: NodeJS.ProcessEnv): Provider[] {
  const names = (env.JITOPS_PROVIDERS ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  const unknown = names.filter((n) => !["gcp", "azure", "kubernetes"].includes(n));
  if (unknown.length > 0)
    throw new Error(
      `JITOPS_PROVIDERS names unknown providers: ${unknown.join(", ")}; accepted: gcp, azure, kubernetes`,
    );
  return names.map((name) => {
    if (name === "gcp") return gcpProvider(resourceManagerClient()); // Application Default Credentials
    if (name === "azure") return azureProvider(armPimClient(new DefaultAzureCredential()));
    // One kubeconfig context per cluster name used in policy grants.
    const kc = new KubeConfig();
    kc.loadFromDefault();
    const clusters = Object.fromEntries(
      kc.getContexts().map((c) => {
        const one = new KubeConfig();
        one.loadFromDefault();
        one.setCurrentContext(c.name);
        return [c.name, kubeRbacClient(one)];
      }),
    );
    return kubernetesProvider(clusters);
  });
}
