import { DefaultAzureCredential } from "@azure/identity";
import { ConfigError } from "../core/config-error.js";
import type { Provider } from "../core/plan/provider.js";
import { azureCredentialSource, explainedAzureCredential } from "./azure-credentials.js";
import { armPimClient } from "./azure-pim-client.js";
import { azureProvider } from "./azure-provider.js";
import { gcpCredentialSource } from "./gcp-credentials.js";
import { resourceManagerClient } from "./gcp-iam-client.js";
import { gcpProvider } from "./gcp-provider.js";
import { guardCalls } from "./guard-calls.js";
import { DEFAULT_DEADLINE_MS } from "./with-deadline.js";
import { THIS_HOST, type HostProbe } from "./host-probe.js";
import { loadKubeConfig } from "./kubernetes-credentials.js";
import { kubeRbacClient } from "./kubernetes-rbac-client.js";
import { kubernetesProvider } from "./kubernetes-provider.js";

/**
 * The providers `JITOPS_PROVIDERS` (comma-separated: gcp, azure, kubernetes) names, with default
 * credentials. Each provider's credentials are found before anything is called (CredentialsError,
 * a ConfigError, when there are none), so a missing login is reported at once and by name.
 */
export function providersFromEnv(
  env: NodeJS.ProcessEnv,
  probe: HostProbe = THIS_HOST,
  /** How long each cloud call may wait for an answer (default 10 s; tests pass less). */
  deadlineMs: number = DEFAULT_DEADLINE_MS,
): Provider[] {
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
      const source = gcpCredentialSource(env, probe);
      const client = guardCalls(
        resourceManagerClient({ deadlineMs }),
        (method, [resource]) => ({
          provider: "gcp",
          endpoint: RESOURCE_MANAGER,
          principal: `the credentials from ${source}`,
          doing: `${method === "get" ? "reading" : "writing"} the IAM policy of ${String(resource)}`,
        }),
        deadlineMs,
      );
      return gcpProvider(client); // Application Default Credentials
    }
    if (name === "azure") {
      const source = azureCredentialSource(env, probe);
      const credential = explainedAzureCredential(new DefaultAzureCredential());
      const client = guardCalls(
        armPimClient(credential, { deadlineMs }),
        (method, [scope]) => ({
          provider: "azure",
          endpoint: ARM,
          principal: env.AZURE_CLIENT_ID ? `client ${env.AZURE_CLIENT_ID}` : `the credentials from ${source}`,
          doing: `${PIM_DOING[method] ?? method} at ${String(scope)}`,
        }),
        deadlineMs,
      );
      return azureProvider(client);
    }
    // One kubeconfig context per cluster name used in policy grants.
    const contexts = loadKubeConfig(env, probe).getContexts();
    const clusters = Object.fromEntries(
      contexts.map((c) => {
        const one = loadKubeConfig(env, probe);
        one.setCurrentContext(c.name);
        const server = one.getCurrentCluster()?.server ?? c.cluster;
        const client = guardCalls(
          kubeRbacClient(one, deadlineMs),
          (method, [namespace]) => ({
            provider: "kubernetes",
            endpoint: server,
            setting: `the server of kubeconfig context "${c.name}" (KUBECONFIG)`,
            principal: `kubeconfig user "${c.user}"`,
            doing: `${K8S_DOING[method] ?? method}${namespace ? ` in ${String(namespace)}` : " (cluster-wide)"}`,
          }),
          deadlineMs,
        );
        return [c.name, client];
      }),
    );
    return kubernetesProvider(clusters);
  });
}

/** Resource Manager's and ARM's hosts, for messages (the clients' defaults). */
const RESOURCE_MANAGER = "https://cloudresourcemanager.googleapis.com";
const ARM = "https://management.azure.com";
const K8S_DOING: Record<string, string> = {
  list: "listing role bindings",
  create: "creating a role binding",
  replace: "replacing a role binding",
  remove: "deleting a role binding",
};
const PIM_DOING: Record<string, string> = {
  roleDefinitionId: "reading role definitions",
  create: "creating a PIM schedule request",
  list: "listing PIM schedule requests",
};
