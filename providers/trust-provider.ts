import type { AzureAppTrust } from "../core/trust/azure-trust.js";
import type { ActualTrust, TrustChange } from "../core/trust/diff-trust.js";
import {
  canonicalJson,
  WORKLOAD_IDENTITY_USER,
  type GcpProviderOidc,
  type GcpTrust,
} from "../core/trust/gcp-trust.js";
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
    for (const p of gcp.providers) {
      const now = await c.gcp.getProvider(p.provider);
      if (now) actual.gcpProviders.push({ provider: p.provider, ...now });
    }
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
          ...(ch.oidc ? { oidc: providerOidc(ch.oidc) } : {}),
        });
      else if (ch.kind === "gcp-provider-create")
        await need(c.gcp, "gcp").createProvider(ch.provider, {
          attributeMapping: ch.attributeMapping,
          attributeCondition: ch.attributeCondition,
          oidc: providerOidc(ch.oidc),
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

/** The OIDC block IAM takes: the issuer, and the keys as a JSON string when the issuer is private. */
function providerOidc(o: GcpProviderOidc): { issuerUri: string; jwksJson?: string } {
  if (o.jwksUri && !o.jwksJson) throw new Error(`the keys at ${o.jwksUri} were not fetched`);
  return { issuerUri: o.issuerUri, ...(o.jwksJson ? { jwksJson: o.jwksJson } : {}) };
}

/** Fetches a JSON document (a JWKS); the default is plain fetch with a deadline. */
export type FetchJson = (url: string) => Promise<unknown>;

const fetchJson: FetchJson = async (url) => {
  const res = await fetch(url, { signal: AbortSignal.timeout(10_000) });
  if (!res.ok) throw new Error(`${url} answered HTTP ${res.status}`);
  return (await res.json()) as unknown;
};

/**
 * Fetches the keys of private cluster issuers declared by `jwksUri` (reachable from where apply
 * runs, not from Google), so they are compared and uploaded like inline `jwks`.
 */
export async function resolveClusterKeys(gcp: GcpTrust, get: FetchJson = fetchJson): Promise<GcpTrust> {
  const providers = await Promise.all(
    gcp.providers.map(async (p) => {
      if (!p.oidc?.jwksUri || p.oidc.jwksJson) return p;
      let keys: unknown;
      try {
        keys = await get(p.oidc.jwksUri);
      } catch (e) {
        throw new Error(
          `fetching the keys of issuer ${p.oidc.issuerUri} from ${p.oidc.jwksUri} failed: ${(e as Error).message}`,
          { cause: e },
        );
      }
      if (!Array.isArray((keys as { keys?: unknown } | null)?.keys))
        throw new Error(`${p.oidc.jwksUri} is not a JWKS: it has no keys list`);
      return { ...p, oidc: { issuerUri: p.oidc.issuerUri, jwksJson: canonicalJson(keys) } };
    }),
  );
  return { ...gcp, providers };
}

function need<T>(client: T | undefined, name: string): T {
  if (!client) throw new Error(`no ${name} trust client is configured`);
  return client;
}
