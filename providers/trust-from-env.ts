import { DefaultAzureCredential } from "@azure/identity";
import { graphCredentialsClient, GRAPH } from "./azure-graph-client.js";
import { adcRequest, GOOGLE_IAM, iamTrustClient } from "./gcp-trust-client.js";
import type { TrustClients } from "./trust-provider.js";

/** Trust clients with default credentials (ADC for GCP, DefaultAzureCredential for Azure), for the clouds policy uses. */
export function trustClientsFromEnv(
  env: NodeJS.ProcessEnv,
  need: { gcp: boolean; azure: boolean },
): TrustClients {
  return {
    ...(need.gcp ? { gcp: iamTrustClient(adcRequest(), env.JITOPS_GCP_IAM_URL ?? GOOGLE_IAM) } : {}),
    ...(need.azure
      ? { azure: graphCredentialsClient(new DefaultAzureCredential(), env.JITOPS_GRAPH_URL ?? GRAPH) }
      : {}),
  };
}
