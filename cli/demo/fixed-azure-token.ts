import type { TokenCredential } from "@azure/identity";

/**
 * An Azure credential that always returns `token`, for the Azure SDK clients the demo points at the
 * simulators. Its expiry is on the machine's clock, not the demo's virtual one: the SDK decides
 * when to refresh a token by comparing its expiry with `Date.now()`.
 */
export function fixedAzureToken(token: string): TokenCredential {
  return { getToken: async () => ({ token, expiresOnTimestamp: Date.now() + 3600_000 }) };
}
