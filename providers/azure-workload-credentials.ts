import { ClientAssertionCredential } from "@azure/identity";
import { AZURE_AUDIENCE } from "../core/trust/github-actions-issuer.js";

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
    },
  );
  const token = await credential.getToken(x.scope ?? "https://management.azure.com/.default");
  return { accessToken: token.token, expiresOn: new Date(token.expiresOnTimestamp) };
}
