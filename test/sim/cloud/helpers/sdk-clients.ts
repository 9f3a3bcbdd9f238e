import { AuthorizationManagementClient } from "@azure/arm-authorization";
import { bearerTokenAuthenticationPolicyName } from "@azure/core-rest-pipeline";
import type { TokenCredential } from "@azure/identity";
import { FoldersClient, OrganizationsClient, ProjectsClient } from "@google-cloud/resource-manager";
import { KubeConfig, RbacAuthorizationV1Api } from "@kubernetes/client-node";
import { OAuth2Client } from "google-auth-library";
import type { CloudSimUrls } from "@jitops/sim/cloud";

type GcpClientOptions = NonNullable<ConstructorParameters<typeof ProjectsClient>[0]>;

/** Options for any @google-cloud/resource-manager v3 client against the simulator (REST fallback over http). */
export function gcpClientOptions(urls: CloudSimUrls): GcpClientOptions {
  const authClient = new OAuth2Client();
  authClient.setCredentials({ access_token: "sim-token" });
  return {
    fallback: true,
    protocol: "http",
    apiEndpoint: urls.gcpEndpoint.apiEndpoint,
    // Needed: the client sets port 443 by default, which overrides a ":port" in apiEndpoint.
    port: urls.gcpEndpoint.port,
    // google-gax nests its own google-auth-library copy; the classes are the same at runtime.
    authClient: authClient as unknown as GcpClientOptions["authClient"],
  };
}

/** The three Resource Manager clients providers use for IAM policies. */
export function gcpClients(urls: CloudSimUrls): {
  projects: ProjectsClient;
  folders: FoldersClient;
  organizations: OrganizationsClient;
} {
  const o = gcpClientOptions(urls);
  return {
    projects: new ProjectsClient(o),
    folders: new FoldersClient(o),
    organizations: new OrganizationsClient(o),
  };
}

/** A fake TokenCredential (the simulator accepts any bearer). */
export const simCredential: TokenCredential = {
  getToken: async () => ({ token: "sim-token", expiresOnTimestamp: Date.now() + 3600_000 }),
};

/**
 * An AuthorizationManagementClient against the simulator. Over http, core-rest-pipeline's bearer policy refuses
 * to send tokens, so it is replaced by one that sets the header itself.
 */
export function azureClient(urls: CloudSimUrls, subscriptionId: string): AuthorizationManagementClient {
  const client = new AuthorizationManagementClient(simCredential, subscriptionId, {
    endpoint: urls.azureUrl,
    allowInsecureConnection: true,
  });
  client.pipeline.removePolicy({ name: bearerTokenAuthenticationPolicyName });
  client.pipeline.addPolicy({
    name: "simBearerPolicy",
    sendRequest: async (request, next) => {
      const token = await simCredential.getToken("https://management.azure.com/.default");
      request.headers.set("authorization", `Bearer ${token?.token ?? ""}`);
      return next(request);
    },
  });
  return client;
}

/** A KubeConfig for the simulator's API server (http needs skipTLSVerify in client-node 1.x). */
export function kubeConfig(urls: CloudSimUrls): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: "sim", server: urls.kubernetesUrl, skipTLSVerify: true }],
    users: [{ name: "jitops", token: "sim-token" }],
    contexts: [{ name: "sim", cluster: "sim", user: "jitops" }],
    currentContext: "sim",
  });
  return kc;
}

/** RbacAuthorizationV1Api against the simulator. */
export function rbacClient(urls: CloudSimUrls): RbacAuthorizationV1Api {
  return kubeConfig(urls).makeApiClient(RbacAuthorizationV1Api);
}
