import { checkedAzureTrustClient, checkedGcpTrustClient } from "./checked-trust-clients.js";
import type { TrustClients } from "./trust-provider.js";

/** Trust clients with default credentials (ADC for GCP, DefaultAzureCredential for Azure), for the clouds policy uses. */
export function trustClientsFromEnv(
  env: NodeJS.ProcessEnv,
  need: { gcp: boolean; azure: boolean },
): TrustClients {
  return {
    // Credentials found first (a CredentialsError names what to set); calls bounded, failures name the host.
    ...(need.gcp ? { gcp: checkedGcpTrustClient(env) } : {}),
    ...(need.azure ? { azure: checkedAzureTrustClient(env) } : {}),
  };
}
