import type { Workload } from "../types.js";
import { AZURE_AUDIENCE, GITHUB_ACTIONS_ISSUER, githubSubject } from "./github-actions-issuer.js";

/** A federated identity credential as Microsoft Graph takes it. */
export interface FederatedCredential {
  name: string;
  issuer: string;
  subject: string;
  audiences: string[];
}

/** The federated credentials one app registration (by client id) needs. */
export interface AzureAppTrust {
  tenantId: string;
  clientId: string;
  credentials: FederatedCredential[];
}

/** Most federated credentials Entra allows on one app or identity. */
export const MAX_FEDERATED_CREDENTIALS = 20;

/**
 * Renders the Azure trust: one federated credential per workload and app, named `jitops-<workload>`
 * (names are immutable in Entra), with the exact subject GitHub issues and the one audience allowed.
 */
export function azureTrust(workloads: Workload[]): AzureAppTrust[] {
  const apps = new Map<string, AzureAppTrust>();
  for (const w of workloads) {
    for (const g of w.grants) {
      if (!("azure" in g)) continue;
      const key = `${g.azure.tenantId}/${g.azure.clientId}`;
      const app = apps.get(key) ?? {
        tenantId: g.azure.tenantId,
        clientId: g.azure.clientId,
        credentials: [],
      };
      app.credentials.push({
        name: `jitops-${w.name}`,
        issuer: w.issuer ?? GITHUB_ACTIONS_ISSUER,
        subject: githubSubject(w),
        audiences: [AZURE_AUDIENCE],
      });
      apps.set(key, app);
    }
  }
  return [...apps.values()];
}
