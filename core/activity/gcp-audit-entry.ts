import type { ActivityEntry } from "./activity-entry.js";

const AUDIT_LOG =
  /^(?:projects|folders|organizations|billingAccounts)\/[^/]+\/logs\/cloudaudit\.googleapis\.com(?:%2F|\/)(activity|data_access|system_event|policy)$/;

type Json = Record<string, unknown>;
const obj = (v: unknown): Json | undefined =>
  v !== null && typeof v === "object" && !Array.isArray(v) ? (v as Json) : undefined;
const str = (v: unknown): string | undefined => (typeof v === "string" && v !== "" ? v : undefined);

/** The person who impersonated a service account, from the first delegation hop. */
function delegator(auth: Json): string | undefined {
  const chain = Array.isArray(auth.serviceAccountDelegationInfo) ? auth.serviceAccountDelegationInfo : [];
  for (const hop of chain) {
    const first = obj(obj(hop)?.firstPartyPrincipal);
    const email = str(first?.principalEmail);
    if (email) return email;
    const third = obj(obj(hop)?.thirdPartyPrincipal);
    const subject = str(obj(third?.thirdPartyClaims)?.sub);
    if (subject) return subject;
  }
  return undefined;
}

/**
 * One Cloud Audit Logs entry (`LogEntry` with an `AuditLog` protoPayload, as entries.list returns it)
 * as an activity entry; undefined for anything else (system events, malformed entries).
 * See https://cloud.google.com/logging/docs/reference/audit/auditlog/rest/Shared.Types/AuditLog.
 */
export function gcpAuditEntry(raw: unknown): ActivityEntry | undefined {
  const e = obj(raw);
  const kind = AUDIT_LOG.exec(str(e?.logName) ?? "")?.[1];
  const p = obj(e?.protoPayload);
  const auth = obj(p?.authenticationInfo);
  const time = str(e?.timestamp);
  const id = str(e?.insertId);
  if (!e || !p || !auth || !time || !id || (kind !== "activity" && kind !== "data_access")) return undefined;
  // Federated workloads acting directly (no service account) have a principalSubject and no email.
  const principal = str(auth.principalEmail) ?? str(auth.principalSubject);
  if (!principal) return undefined;
  const authz = Array.isArray(p.authorizationInfo) ? p.authorizationInfo.map(obj) : [];
  const permissions = [...new Set(authz.map((a) => str(a?.permission)).filter((x) => x !== undefined))];
  const code = obj(p.status)?.code;
  // PERMISSION_DENIED (7) or UNAUTHENTICATED (16), or an authorization check that failed.
  const denied = code === 7 || code === 16 || authz.some((a) => a?.granted === false);
  const onBehalfOf = delegator(auth);
  return {
    provider: "gcp",
    log: kind === "activity" ? "admin-activity" : "data-access",
    id,
    time,
    principal,
    ...(onBehalfOf ? { onBehalfOf } : {}),
    service: str(p.serviceName) ?? "unknown",
    method: str(p.methodName) ?? "unknown",
    resource: str(p.resourceName) ?? "",
    permissions,
    denied,
  };
}

/** A string literal of the Logging query language. */
function quote(s: string): string {
  return `"${s.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;
}

/**
 * The entries.list filter for audit entries by any of `identities` between `start` and `end`:
 * the caller's email, its federated subject, or the person who impersonated a service account.
 * See https://cloud.google.com/logging/docs/view/logging-query-language.
 */
export function gcpAuditFilter(identities: string[], start: string, end: string): string {
  const who = identities.flatMap((id) => [
    `protoPayload.authenticationInfo.principalEmail=${quote(id)}`,
    `protoPayload.authenticationInfo.principalSubject=${quote(id)}`,
    `protoPayload.authenticationInfo.serviceAccountDelegationInfo.firstPartyPrincipal.principalEmail=${quote(id)}`,
  ]);
  return [
    'logName:"cloudaudit.googleapis.com"',
    `timestamp>=${quote(start)}`,
    `timestamp<=${quote(end)}`,
    `(${who.join(" OR ")})`,
  ].join(" AND ");
}
