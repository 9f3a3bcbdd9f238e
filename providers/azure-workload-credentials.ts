import { ClientAssertionCredential } from "@azure/identity";
import { AZURE_AUDIENCE } from "../core/trust/github-actions-issuer.js";
import { DEFAULT_DEADLINE_MS, noAnswerWithin, withDeadline } from "./with-deadline.js";

/** Entra ID's login host. */
export const ENTRA_AUTHORITY = "https://login.microsoftonline.com";

/** What an Azure exchange needs. */
export interface AzureExchange {
  tenantId: string;
  clientId: string;
  /** Fetches a fresh OIDC token for the audience: assertions expire (AADSTS700024), so never reuse one. */
  subjectToken: (audience: string) => Promise<string>;
  /** Entra's login host; the embedded cloud replaces it in the demo and tests. */
  authorityHost?: string;
  /** An https agent trusting the embedded cloud's certificate (MSAL accepts only https authorities). */
  agent?: import("node:https").Agent;
  scope?: string;
  /** How long the exchange may wait for Entra's answer (default 10 s). */
  timeoutMs?: number;
  /** Retries of a failed token call (default: @azure/identity's, 3). */
  retries?: number;
}

/** Exchanges the job's OIDC token for an ARM access token through a federated credential: one cloud call. */
export async function exchangeAzure(x: AzureExchange): Promise<{ accessToken: string; expiresOn: Date }> {
  const credential = new ClientAssertionCredential(
    x.tenantId,
    x.clientId,
    () => x.subjectToken(AZURE_AUDIENCE),
    {
      ...(x.authorityHost ? { authorityHost: x.authorityHost, disableInstanceDiscovery: true } : {}),
      ...(x.agent ? { agent: x.agent } : {}),
      ...(x.retries !== undefined ? { retryOptions: { maxRetries: x.retries } } : {}),
    },
  );
  const ms = x.timeoutMs ?? DEFAULT_DEADLINE_MS;
  // No abortSignal: MSAL does not close the connection on it, and drops its socket error handler,
  // so a late reset would crash the process. The deadline only stops the waiting.
  const token = await withDeadline(
    ms,
    () => credential.getToken(x.scope ?? "https://management.azure.com/.default"),
    () => noAnswerWithin(ms),
  );
  return { accessToken: token.token, expiresOn: new Date(token.expiresOnTimestamp) };
}
