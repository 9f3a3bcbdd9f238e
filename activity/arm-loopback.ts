import { bearerTokenAuthenticationPolicyName, type Pipeline } from "@azure/core-rest-pipeline";
import type { TokenCredential } from "@azure/identity";

/** Where an ARM client talks: ARM itself, or (for the embedded cloud) a loopback http endpoint. */
export interface ArmEndpointOptions {
  endpoint?: string;
  /** Loopback http only: also swaps the bearer policy, which refuses http. */
  allowInsecureConnection?: boolean;
}

/** Client options for an ARM SDK client pointed at `endpoint`. */
export function armClientOptions(opts: ArmEndpointOptions) {
  return {
    ...(opts.endpoint
      ? { endpoint: opts.endpoint, credentialScopes: ["https://management.azure.com/.default"] }
      : {}),
    ...(opts.allowInsecureConnection ? { allowInsecureConnection: true } : {}),
  };
}

/** Sends the credential's token over loopback http, where the SDK's own bearer policy refuses to. */
export function useLoopbackBearer(
  pipeline: Pipeline,
  credential: TokenCredential,
  opts: ArmEndpointOptions,
): void {
  if (!opts.allowInsecureConnection) return;
  pipeline.removePolicy({ name: bearerTokenAuthenticationPolicyName });
  pipeline.addPolicy({
    name: "jitopsLoopbackBearer",
    sendRequest: async (request, next) => {
      const token = await credential.getToken("https://management.azure.com/.default");
      request.headers.set("authorization", `Bearer ${token?.token ?? ""}`);
      return next(request);
    },
  });
}
