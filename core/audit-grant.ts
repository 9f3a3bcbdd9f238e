import type { Binding } from "./plan/binding.js";
import type { ActualBinding } from "./plan/diff-bindings.js";

/** The audit event of one change to the cloud: a binding granted, extended, revoked, or a break-glass use. */
export interface GrantAuditEvent {
  time: string;
  kind: "grant" | "revoke" | "grant-failed" | "break-glass";
  repository: string;
  /** The default-branch commit whose state was applied. */
  commit: string;
  bindingId: string;
  requestId: string;
  provider: string;
  principal: string;
  notAfter?: string;
  pr?: number;
  detail?: string;
}

/** Where grant audit events go (the bot's logger by default). */
export interface GrantAuditSink {
  write(event: GrantAuditEvent): void | Promise<void>;
}

/** Builds the audit event of a put or removed binding. */
export function grantAuditEvent(input: {
  now: Date;
  kind: GrantAuditEvent["kind"];
  repository: string;
  commit: string;
  binding: Binding | ActualBinding;
  pr?: number;
  detail?: string;
}): GrantAuditEvent {
  const b = input.binding;
  return {
    time: input.now.toISOString(),
    kind: input.kind,
    repository: input.repository,
    commit: input.commit,
    bindingId: b.id,
    requestId: b.requestId,
    provider: b.provider,
    principal: b.principal,
    notAfter: b.notAfter,
    ...(input.pr !== undefined ? { pr: input.pr } : {}),
    ...(input.detail ? { detail: input.detail } : {}),
  };
}

/** Builds the audit event of a break-glass use: the request, who used it, and its review issue. */
export function breakGlassAuditEvent(input: {
  now: Date;
  repository: string;
  commit: string;
  requestId: string;
  principal: string;
  pr: number;
  review: number;
}): GrantAuditEvent {
  return {
    time: input.now.toISOString(),
    kind: "break-glass",
    repository: input.repository,
    commit: input.commit,
    bindingId: `${input.requestId}/*`,
    requestId: input.requestId,
    provider: "*",
    principal: input.principal,
    pr: input.pr,
    detail: `post-incident review #${input.review}`,
  };
}
