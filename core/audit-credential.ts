/** The audit event of a credential issued to, or refused for, a workload. */
export interface CredentialAuditEvent {
  time: string;
  kind: "credential";
  outcome: "issued" | "refused";
  workload: string;
  provider: "gcp" | "azure";
  /** Identity claims of the token (never the token): repository, ids, ref, environment, workflow, run. */
  claims: Record<string, string>;
  reason?: string;
  expiresAt?: string;
}

const AUDITED = [
  "repository",
  "repository_id",
  "repository_owner_id",
  "ref",
  "environment",
  "workflow_ref",
  "run_id",
  "actor",
  "sha",
  "event_name",
];

/** Builds a credential audit event, keeping only identifying claims. */
export function credentialAuditEvent(
  input: Omit<CredentialAuditEvent, "time" | "kind" | "claims"> & {
    now: Date;
    claims: Record<string, unknown>;
  },
): CredentialAuditEvent {
  const { now, claims, ...rest } = input;
  const kept: Record<string, string> = {};
  for (const k of AUDITED) if (claims[k] !== undefined && claims[k] !== null) kept[k] = String(claims[k]);
  return { time: now.toISOString(), kind: "credential", claims: kept, ...rest };
}
