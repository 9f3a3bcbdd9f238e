import type { Decision } from "./evaluate/decision.js";

/** One structured audit event (a JSON line). */
export interface AuditEvent {
  time: string;
  kind: "decision";
  repository: string;
  pr: number;
  headSha: string;
  /** The base commit the policy was read from. */
  baseSha: string;
  decision: Decision["decision"];
  reasons: string[];
  /** Numeric ids of the approvers who counted, per rule. */
  approverIds: number[];
  deliveryId: string | undefined;
}

/** Where audit events go; the bot writes them as JSON lines to stdout or JITOPS_AUDIT_FILE (bot/audit-stream.ts). */
export interface AuditSink {
  write(event: AuditEvent): void | Promise<void>;
}

/** Builds the audit event of a decision. */
export function decisionAuditEvent(input: {
  now: Date;
  repository: string;
  pr: number;
  headSha: string;
  baseSha: string;
  decision: Decision;
  approverIds: number[];
  deliveryId: string | undefined;
}): AuditEvent {
  return {
    time: input.now.toISOString(),
    kind: "decision",
    repository: input.repository,
    pr: input.pr,
    headSha: input.headSha,
    baseSha: input.baseSha,
    decision: input.decision.decision,
    reasons: input.decision.reasons,
    approverIds: [...new Set(input.approverIds)].sort((a, b) => a - b),
    deliveryId: input.deliveryId,
  };
}
