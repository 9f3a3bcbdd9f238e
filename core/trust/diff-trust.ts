import type { AzureAppTrust, FederatedCredential } from "./azure-trust.js";
import type { GcpTrust } from "./gcp-trust.js";

/** The trust configuration a cloud holds now, as the trust providers read it. */
export interface ActualTrust {
  gcpProviders: { provider: string; attributeMapping: Record<string, string>; attributeCondition: string }[];
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

/** Only members jitops manages (workload identity principalSets) are ever removed. */
function isManagedMember(m: string): boolean {
  return m.startsWith("principalSet://iam.googleapis.com/") && m.includes("/attribute.repository_id/");
}

/**
 * The changes that make the cloud's trust match policy. Removes only what jitops manages: principalSet
 * members keyed on repository_id, and federated credentials named `jitops-*`.
 */
export function diffTrust(gcp: GcpTrust, azure: AzureAppTrust[], actual: ActualTrust): TrustChange[] {
  const changes: TrustChange[] = [];
  for (const p of gcp.providers) {
    const now = actual.gcpProviders.find((a) => a.provider === p.provider);
    const mappingOk =
      now && Object.entries(p.attributeMapping).every(([k, v]) => now.attributeMapping[k] === v);
    if (!now || !mappingOk || now.attributeCondition !== p.attributeCondition) {
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
      return `gcp provider ${c.provider}: set attribute condition to ${c.attributeCondition}${c.was !== undefined ? ` (was ${c.was || "empty"})` : " (provider not readable)"}`;
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
