import type { AzureAppTrust } from "../core/trust/azure-trust.js";
import type { ActualTrust, TrustChange } from "../core/trust/diff-trust.js";
import { WORKLOAD_IDENTITY_USER, type GcpTrust } from "../core/trust/gcp-trust.js";
import type { graphCredentialsClient } from "./azure-graph-client.js";
import { writeWithRetry } from "./gcp-provider.js";
import type { iamTrustClient } from "./gcp-trust-client.js";

/** Reads and changes the clouds' workload trust configuration. */
export interface TrustClients {
  gcp?: ReturnType<typeof iamTrustClient>;
  azure?: ReturnType<typeof graphCredentialsClient>;
}

/** Reads the trust the clouds hold for the places policy names (providers, service accounts, apps). */
export async function readTrust(
  c: TrustClients,
  gcp: GcpTrust,
  azure: AzureAppTrust[],
): Promise<ActualTrust> {
  const actual: ActualTrust = { gcpProviders: [], gcpServiceAccounts: [], azureApps: [] };
  if (c.gcp) {
    for (const p of gcp.providers)
      actual.gcpProviders.push({ provider: p.provider, ...(await c.gcp.getProvider(p.provider)) });
    for (const sa of gcp.serviceAccounts) {
      const policy = await c.gcp.saPolicies.get(sa.serviceAccount);
      const members = (policy.bindings ?? [])
        .filter((b) => b.role === WORKLOAD_IDENTITY_USER && !b.condition)
        .flatMap((b) => b.members ?? []);
      actual.gcpServiceAccounts.push({ serviceAccount: sa.serviceAccount, members });
    }
  }
  if (c.azure) {
    for (const app of azure)
      actual.azureApps.push({
        tenantId: app.tenantId,
        clientId: app.clientId,
        credentials: await c.azure.list(app.clientId),
      });
  }
  return actual;
}

/** Applies trust changes one at a time (Entra refuses concurrent credential writes with 409). */
export async function applyTrust(
  c: TrustClients,
  changes: TrustChange[],
): Promise<{ done: TrustChange[]; failed: { change: TrustChange; error: string }[] }> {
  const done: TrustChange[] = [];
  const failed: { change: TrustChange; error: string }[] = [];
  for (const ch of changes) {
    try {
      if (ch.kind === "gcp-provider")
        await need(c.gcp, "gcp").patchProvider(ch.provider, {
          attributeMapping: ch.attributeMapping,
          attributeCondition: ch.attributeCondition,
        });
      else if (ch.kind === "gcp-member-add" || ch.kind === "gcp-member-remove") {
        await writeWithRetry(need(c.gcp, "gcp").saPolicies, ch.serviceAccount, (policy) => {
          const bindings = policy.bindings ?? [];
          let b = bindings.find((x) => x.role === WORKLOAD_IDENTITY_USER && !x.condition);
          if (!b) bindings.push((b = { role: WORKLOAD_IDENTITY_USER, members: [] }));
          const members = b.members ?? [];
          const has = members.includes(ch.member);
          if (ch.kind === "gcp-member-add" ? has : !has) return false;
          b.members =
            ch.kind === "gcp-member-add" ? [...members, ch.member] : members.filter((m) => m !== ch.member);
          policy.bindings = bindings.filter((x) => (x.members ?? []).length > 0);
          return true;
        });
      } else if (ch.kind === "azure-credential-add")
        await need(c.azure, "azure").add(ch.clientId, ch.credential);
      else if (ch.credential.id) await need(c.azure, "azure").remove(ch.clientId, ch.credential.id);
      done.push(ch);
    } catch (e) {
      failed.push({ change: ch, error: (e as Error).message });
    }
  }
  return { done, failed };
}

function need<T>(client: T | undefined, name: string): T {
  if (!client) throw new Error(`no ${name} trust client is configured`);
  return client;
}
