import { DefaultAzureCredential } from "@azure/identity";
import { ConfigError } from "../core/config-error.js";
import type { Provider } from "../core/plan/provider.js";
import { azureCredentialSource } from "./azure-credentials.js";
import { armPimClient } from "./azure-pim-client.js";
import { azureProvider } from "./azure-provider.js";
import { gcpCredentialSource } from "./gcp-credentials.js";
import { resourceManagerClient } from "./gcp-iam-client.js";
import { gcpProvider } from "./gcp-provider.js";
import { THIS_HOST, type HostProbe } from "./host-probe.js";
import { loadKubeConfig } from "./kubernetes-credentials.js";
import { kubeRbacClient } from "./kubernetes-rbac-client.js";
import { kubernetesProvider } from "./kubernetes-provider.js";

/**
 * The providers `JITOPS_PROVIDERS` (comma-separated: gcp, azure, kubernetes) names, with default
 * credentials. Each provider's credentials are found before anything is called (CredentialsError,
 * a ConfigError, when there are none), so a missing login is reported at once and by name.
 */
export function providersFromEnv(env: NodeJS.ProcessEnv, probe: HostProbe = THIS_HOST): Provider[] {
  const names = (env.JITOPS_PROVIDERS ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  const unknown = names.filter((n) => !["gcp", "azure", "kubernetes"].includes(n));
  if (unknown.length > 0)
    throw new ConfigError(
      `JITOPS_PROVIDERS names unknown providers: ${unknown.join(", ")}; accepted: gcp, azure, kubernetes`,
    );
  return names.map((name) => {
    if (name === "gcp") {
      gcpCredentialSource(env, probe);
      return gcpProvider(resourceManagerClient()); // Application Default Credentials
    }
    if (name === "azure") {
      azureCredentialSource(env, probe);
      return azureProvider(armPimClient(new DefaultAzureCredential()));
    }
    // One kubeconfig context per cluster name used in policy grants.
    const contexts = loadKubeConfig(env, probe).getContexts();
    const clusters = Object.fromEntries(
      contexts.map((c) => {
        const one = loadKubeConfig(env, probe);
        one.setCurrentContext(c.name);
        return [c.name, kubeRbacClient(one)];
      }),
    );
    return kubernetesProvider(clusters);
  });
}
