import { DefaultAzureCredential } from "@azure/identity";
import { azureCredentialSource, explainedAzureCredential } from "./azure-credentials.js";
import { graphCredentialsClient, GRAPH } from "./azure-graph-client.js";
import { gcpCredentialSource } from "./gcp-credentials.js";
import { adcRequest, GOOGLE_IAM, iamTrustClient, type AuthorizedRequest } from "./gcp-trust-client.js";
import { guardCalls } from "./guard-calls.js";
import { THIS_HOST, type HostProbe } from "./host-probe.js";
import { DEFAULT_DEADLINE_MS } from "./with-deadline.js";

/**
 * GCP's IAM trust client with Application Default Credentials, found first (CredentialsError when
 * there are none), every request bounded and its failures naming the host and JITOPS_GCP_IAM_URL.
 */
export function checkedGcpTrustClient(
  env: NodeJS.ProcessEnv,
  probe: HostProbe = THIS_HOST,
  deadlineMs = DEFAULT_DEADLINE_MS,
) {
  const source = gcpCredentialSource(env, probe);
  const { request } = guardCalls(
    { request: adcRequest(deadlineMs) },
    (_method, [opts]) => {
      const { url, method } = opts as Parameters<AuthorizedRequest>[0];
      return {
        provider: "gcp",
        endpoint: url,
        ...(env.JITOPS_GCP_IAM_URL ? { setting: "JITOPS_GCP_IAM_URL" } : {}),
        principal: `the credentials from ${source}`,
        doing: `for ${method} ${new URL(url).pathname}`,
      };
    },
    deadlineMs,
  );
  return iamTrustClient(request as AuthorizedRequest, env.JITOPS_GCP_IAM_URL ?? GOOGLE_IAM);
}

/**
 * Microsoft Graph's federated credentials client with DefaultAzureCredential, found first, every
 * call bounded and its failures naming the host and JITOPS_GRAPH_URL.
 */
export function checkedAzureTrustClient(
  env: NodeJS.ProcessEnv,
  probe: HostProbe = THIS_HOST,
  deadlineMs = DEFAULT_DEADLINE_MS,
) {
  const source = azureCredentialSource(env, probe);
  const graph = env.JITOPS_GRAPH_URL ?? GRAPH;
  return guardCalls(
    graphCredentialsClient(explainedAzureCredential(new DefaultAzureCredential()), graph, deadlineMs),
    (method, [clientId]) => ({
      provider: "azure",
      endpoint: graph,
      ...(env.JITOPS_GRAPH_URL ? { setting: "JITOPS_GRAPH_URL" } : {}),
      principal: env.AZURE_CLIENT_ID ? `client ${env.AZURE_CLIENT_ID}` : `the credentials from ${source}`,
      doing: `${method === "list" ? "listing" : method === "add" ? "adding" : "removing"} federated credentials of app ${String(clientId)}`,
    }),
    deadlineMs,
  );
}
