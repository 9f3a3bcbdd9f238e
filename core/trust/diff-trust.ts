import type { AzureAppTrust, FederatedCredential } from "./azure-trust.js";
import { isPodPrincipal } from "./cluster-principals.js";
import { canonicalJson, type GcpProviderOidc, type GcpTrust } from "./gcp-trust.js";

/** The trust configuration a cloud holds now, as the trust providers read it. */
export interface ActualTrust {
  /** Providers that exist (one policy names but GCP does not hold is absent). */
  gcpProviders: {
    provider: string;
    attributeMapping: Record<string, string>;
    attributeCondition: string;
    oidc?: { issuerUri: string; jwksJson?: string };
  }[];
  /** Members holding roles/iam.workloadIdentityUser per service account. */
  gcpServiceAccounts: { serviceAccount: string; members: string[] }[];
  azureApps: { tenantId: string; clientId: string; credentials: (FederatedCredential & { id?: string })[] }[];
}

/** One difference between policy and the cloud, and the change that fixes it. */
export type TrustChange =
  | {
      kind: "gcp-provider";
      provider: string;
      attributeMapping: Record<string, string>;
      attributeCondition: string;
      was?: string;
      /** Also set the issuer and keys (providers jitops owns for clusters). */
      oidc?: GcpProviderOidc;
    }
  | {
      kind: "gcp-provider-create";
      provider: string;
      attributeMapping: Record<string, string>;
      attributeCondition: string;
      oidc: GcpProviderOidc;
    }
  | { kind: "gcp-member-add"; serviceAccount: string; member: string }
  | { kind: "gcp-member-remove"; serviceAccount: string; member: string }
  | { kind: "azure-credential-add"; tenantId: string; clientId: string; credential: FederatedCredential }
  | {
      kind: "azure-credential-remove";
      tenantId: string;
      clientId: string;
      credential: FederatedCredential & { id?: string };
    };

/**
 * Only members jitops manages are ever removed: principalSets keyed on repository_id, and the
 * principals of Kubernetes service accounts (GKE's `.../subject/ns/NS/sa/KSA`, a pool's
 * `.../subject/system:serviceaccount:NS:KSA`).
 */
function isManagedMember(m: string): boolean {
  return (
    (m.startsWith("principalSet://iam.googleapis.com/") && m.includes("/attribute.repository_id/")) ||
    isPodPrincipal(m)
  );
}

/** Whether a provider's issuer or keys differ from what policy declares for its cluster. */
function oidcDiffers(
  want: GcpProviderOidc,
  have: { issuerUri: string; jwksJson?: string } | undefined,
): boolean {
  if (!have || have.issuerUri !== want.issuerUri) return true;
  const keys = (j: string | undefined) => {
    if (!j) return "";
    try {
      return canonicalJson(JSON.parse(j));
    } catch {
      return j;
    }
  };
  return keys(want.jwksJson) !== keys(have.jwksJson);
}

/**
 * The changes that make the cloud's trust match policy. Removes only what jitops manages: principalSet
 * members keyed on repository_id, and federated credentials named `jitops-*`.
 */
export function diffTrust(gcp: GcpTrust, azure: AzureAppTrust[], actual: ActualTrust): TrustChange[] {
  const changes: TrustChange[] = [];
  for (const p of gcp.providers) {
    const now = actual.gcpProviders.find((a) => a.provider === p.provider);
    if (!now && p.oidc) {
      changes.push({ kind: "gcp-provider-create", ...p, oidc: p.oidc });
      continue;
    }
    const mappingOk =
      now && Object.entries(p.attributeMapping).every(([k, v]) => now.attributeMapping[k] === v);
    const oidcOk = !p.oidc || !oidcDiffers(p.oidc, now?.oidc);
    if (!now || !mappingOk || !oidcOk || now.attributeCondition !== p.attributeCondition) {
      changes.push({ kind: "gcp-provider", ...p, ...(now ? { was: now.attributeCondition } : {}) });
    }
  }
  const saNames = new Set([
    ...gcp.serviceAccounts.map((s) => s.serviceAccount),
    ...actual.gcpServiceAccounts.map((s) => s.serviceAccount),
  ]);
  for (const sa of saNames) {
    const want = new Set(gcp.serviceAccounts.find((s) => s.serviceAccount === sa)?.members ?? []);
    const have = new Set(actual.gcpServiceAccounts.find((s) => s.serviceAccount === sa)?.members ?? []);
    for (const m of want)
      if (!have.has(m)) changes.push({ kind: "gcp-member-add", serviceAccount: sa, member: m });
    for (const m of have)
      if (!want.has(m) && isManagedMember(m))
        changes.push({ kind: "gcp-member-remove", serviceAccount: sa, member: m });
  }
  const key = (c: FederatedCredential) =>
    JSON.stringify([c.name, c.issuer, c.subject, [...c.audiences].sort()]);
  const apps = new Map<string, { tenantId: string; clientId: string }>();
  for (const a of [...azure, ...actual.azureApps]) apps.set(`${a.tenantId}/${a.clientId}`, a);
  for (const [k, app] of apps) {
    const want = azure.find((a) => `${a.tenantId}/${a.clientId}` === k)?.credentials ?? [];
    const have = actual.azureApps.find((a) => `${a.tenantId}/${a.clientId}` === k)?.credentials ?? [];
    const haveKeys = new Set(have.map(key));
    const wantKeys = new Set(want.map(key));
    // A changed credential is removed, then re-added: Entra credential names are immutable.
    for (const c of have)
      if (!wantKeys.has(key(c)) && c.name.startsWith("jitops-"))
        changes.push({ kind: "azure-credential-remove", ...app, credential: c });
    for (const c of want)
      if (!haveKeys.has(key(c))) changes.push({ kind: "azure-credential-add", ...app, credential: c });
  }
  return changes;
}

/** One line per change, for `jitops plan --trust` and the drift report. */
export function describeTrustChange(c: TrustChange): string {
  switch (c.kind) {
    case "gcp-provider":
      return `gcp provider ${c.provider}: ${c.oidc ? `set issuer ${c.oidc.issuerUri}${c.oidc.jwksJson || c.oidc.jwksUri ? " and its keys" : ""}, ` : ""}set attribute condition to ${c.attributeCondition}${c.was !== undefined ? ` (was ${c.was || "empty"})` : " (provider not readable)"}`;
    case "gcp-provider-create":
      return `gcp provider ${c.provider}: create for issuer ${c.oidc.issuerUri}${c.oidc.jwksJson || c.oidc.jwksUri ? " with its keys (private issuer)" : ""}, condition ${c.attributeCondition}`;
    case "gcp-member-add":
      return `gcp ${c.serviceAccount}: grant roles/iam.workloadIdentityUser to ${c.member}`;
    case "gcp-member-remove":
      return `gcp ${c.serviceAccount}: revoke roles/iam.workloadIdentityUser from ${c.member}`;
    case "azure-credential-add":
      return `azure app ${c.clientId}: add federated credential ${c.credential.name} for ${c.credential.subject}`;
    case "azure-credential-remove":
      return `azure app ${c.clientId}: remove federated credential ${c.credential.name} (${c.credential.subject})`;
  }
}
