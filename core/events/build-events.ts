import { createHash } from "node:crypto";
import type { CredentialAuditEvent } from "../audit-credential.js";
import { fileStem } from "../check-request.js";
import type { GrantAuditEvent } from "../audit-grant.js";
import type { Decision, DecisionKind } from "../evaluate/decision.js";
import {
  LIFECYCLE_SCHEMA_VERSION,
  type CredentialEvent,
  type DecisionEvent,
  type EventRequest,
  type GrantEvent,
  type PullEvent,
} from "./lifecycle-event.js";
import type { Binding } from "../plan/binding.js";

/** A deterministic event id: the same fact, emitted twice, gets the same id. */
export function eventId(...parts: (string | number | undefined)[]): string {
  return createHash("sha256").update(parts.map(String).join("\u0000")).digest("hex").slice(0, 32);
}

/** The requests of a decided pull request, as events name them. */
function requestsOf(decision: Decision, author: string): EventRequest[] {
  return decision.requests.map((r) => ({
    name: r.name ?? fileStem(r.path),
    ...(r.entitlement ? { entitlement: r.entitlement } : {}),
    ...(r.principal ? { principal: r.principal } : {}),
    requester: author,
  }));
}

/** A request pull request was opened, or its approved head merged by the bot. */
export function pullEvent(input: {
  type: PullEvent["type"];
  now: Date;
  repository: string;
  pr: number;
  headSha: string;
  author: string;
  decision: Decision;
}): PullEvent {
  return {
    schemaVersion: LIFECYCLE_SCHEMA_VERSION,
    id: eventId(input.type, input.repository, input.pr, input.type === "merged" ? input.headSha : ""),
    type: input.type,
    time: input.now.toISOString(),
    repository: input.repository,
    pr: input.pr,
    headSha: input.headSha,
    requests: requestsOf(input.decision, input.author),
  };
}

/** A binding ends within the warning window (the sweeper looks ahead); one event per binding and end. */
export function expiringEvent(input: {
  now: Date;
  repository: string;
  commit: string;
  binding: Binding;
}): GrantEvent {
  const b = input.binding;
  return {
    schemaVersion: LIFECYCLE_SCHEMA_VERSION,
    id: eventId("expiring", input.repository, b.id, b.notAfter),
    type: "expiring",
    time: input.now.toISOString(),
    repository: input.repository,
    request: { name: b.requestId, entitlement: b.entitlement, principal: b.principal, requester: b.login },
    provider: b.provider,
    bindingId: b.id,
    commit: input.commit,
    notAfter: new Date(b.notAfter).toISOString(),
  };
}

const DECISION_TYPE: Record<DecisionKind, DecisionEvent["type"]> = {
  pending: "approval-needed",
  approved: "approved",
  denied: "denied",
  invalid: "invalid",
};

/** The event of a pull request's decision, with who can still approve when approvals are needed. */
export function decisionEvent(input: {
  now: Date;
  repository: string;
  pr: number;
  headSha: string;
  author: string;
  decision: Decision;
}): DecisionEvent {
  const { decision: d } = input;
  const type = DECISION_TYPE[d.decision];
  const requests = requestsOf(d, input.author);
  const open = [...d.requests.flatMap((r) => r.rules), ...(d.policy?.rules ?? [])].filter(
    (r) => r.have < r.need,
  );
  const approvers = [...new Set(open.flatMap((r) => [...r.candidates.teams, ...r.candidates.users]))].sort();
  return {
    schemaVersion: LIFECYCLE_SCHEMA_VERSION,
    id: eventId(type, input.repository, input.pr, input.headSha, d.reasons.join("\n")),
    type,
    time: input.now.toISOString(),
    repository: input.repository,
    pr: input.pr,
    headSha: input.headSha,
    requests,
    reasons: d.reasons,
    ...(type === "approval-needed" ? { approvers } : {}),
  };
}

const GRANT_TYPE: Record<GrantAuditEvent["kind"], GrantEvent["type"]> = {
  grant: "granted",
  "grant-failed": "grant-failed",
  revoke: "revoked",
  "break-glass": "break-glass",
};

/**
 * The event of a change to a cloud binding. A removal at or after the binding's end is an expiry;
 * before it, a revoke (the request file was deleted).
 */
export function grantEvent(audit: GrantAuditEvent): GrantEvent {
  const expired =
    audit.kind === "revoke" &&
    audit.notAfter !== undefined &&
    Date.parse(audit.notAfter) <= Date.parse(audit.time);
  const type = expired ? "expired" : GRANT_TYPE[audit.kind];
  return {
    schemaVersion: LIFECYCLE_SCHEMA_VERSION,
    id: eventId(type, audit.repository, audit.bindingId, audit.notAfter, audit.commit),
    type,
    time: audit.time,
    repository: audit.repository,
    request: { name: audit.requestId, principal: audit.principal },
    provider: audit.provider,
    bindingId: audit.bindingId,
    ...(audit.commit ? { commit: audit.commit } : {}),
    ...(audit.pr !== undefined ? { pr: audit.pr } : {}),
    ...(audit.notAfter ? { notAfter: audit.notAfter } : {}),
    ...(audit.detail ? { detail: audit.detail } : {}),
  };
}

/** The event of a workload credential issued or refused. */
export function credentialEvent(audit: CredentialAuditEvent, repository: string): CredentialEvent {
  const type = audit.outcome === "issued" ? "credential-issued" : "credential-refused";
  return {
    schemaVersion: LIFECYCLE_SCHEMA_VERSION,
    id: eventId(type, repository, audit.workload, audit.provider, audit.claims.run_id, audit.time),
    type,
    time: audit.time,
    repository,
    workload: audit.workload,
    provider: audit.provider,
    claims: audit.claims,
    ...(audit.expiresAt ? { expiresAt: audit.expiresAt } : {}),
    ...(audit.reason ? { reason: audit.reason } : {}),
  };
}
