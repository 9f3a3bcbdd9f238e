/** Version of the lifecycle event shapes (`schemas/lifecycle-event.schema.json`); bumped on any breaking change. */
export const LIFECYCLE_SCHEMA_VERSION = 1;

/** What every lifecycle event carries. */
interface EventBase {
  schemaVersion: typeof LIFECYCLE_SCHEMA_VERSION;
  /** Deterministic for one fact (a redelivery or a second replica emits the same id), so subscribers can dedupe. */
  id: string;
  time: string;
  /** The access repository, `owner/name`. */
  repository: string;
}

/** A request as events name it: the file, what it asks for, and who asks. */
export interface EventRequest {
  name: string;
  entitlement?: string;
  principal?: string;
  requester?: string;
}

/** A pull request's decision moved: it needs approvals, was approved, denied, or is invalid. */
export interface DecisionEvent extends EventBase {
  type: "approval-needed" | "approved" | "denied" | "invalid";
  pr: number;
  headSha: string;
  requests: EventRequest[];
  reasons: string[];
  /** Logins or teams who can still approve (approval-needed). */
  approvers?: string[];
}

/** A request pull request was opened, or merged into the default branch. */
export interface PullEvent extends EventBase {
  type: "request-opened" | "merged";
  pr: number;
  headSha: string;
  requests: EventRequest[];
}

/** A binding changed in a cloud, or could not be changed. */
export interface GrantEvent extends EventBase {
  type: "granted" | "grant-failed" | "revoked" | "expired" | "expiring" | "break-glass";
  request: EventRequest;
  provider: string;
  bindingId: string;
  commit?: string;
  pr?: number;
  notAfter?: string;
  detail?: string;
}

/** A workload got (or was refused) a short-lived credential. */
export interface CredentialEvent extends EventBase {
  type: "credential-issued" | "credential-refused";
  workload: string;
  provider: string;
  claims: Record<string, string>;
  expiresAt?: string;
  reason?: string;
}

/** The clouds' workload trust was changed to match policy. */
export interface TrustEvent extends EventBase {
  type: "trust-changed";
  provider: string;
  change: string;
  target: string;
}

/** Who a notification was for: a request's approvers, its thread, its requester, or security. */
export type NotificationAudience = "approvers" | "thread" | "requester" | "security";

/**
 * A chat message about another event was delivered, or could not be (after its retries). The outcome
 * of every send is audited like the fact itself; the destination names a channel, user id or webhook
 * name, never a URL or token.
 */
export interface NotificationEvent extends EventBase {
  type: "notification-sent" | "notification-failed";
  /** The event the message was about. */
  about: { id: string; type: string };
  pr?: number;
  service: "slack" | "teams";
  audience: NotificationAudience;
  destination: string;
  /** Calls made, retries included. */
  attempts: number;
  /** Why it failed (notification-failed), e.g. `notification.teams-webhook-unset`. */
  code?: string;
  detail?: string;
}

/** What a principal did with a grant window, or a workload over a period, from the cloud's audit logs. */
export interface ActivityEvent extends EventBase {
  type: "activity";
  /** The grant's request (`kind: grant`). */
  request?: EventRequest;
  /** The workload (`kind: workload`). */
  workload?: string;
  provider: string;
  /** The window: the grant's start and end (expiry or revoke), or the period read. */
  start: string;
  end: string;
  calls: number;
  denied: number;
  first?: string;
  last?: string;
  /** Permissions exercised by calls the cloud allowed. */
  permissions: string[];
  /** No call at all in the window: standing access nobody used. */
  noActivity: boolean;
  /** The logs read (`admin-activity`, `data-access`, `activity-log`, `kubernetes-audit`); logs that could not be read are left out. */
  logs: string[];
}

/** An entitlement or workload a certification event concerns, and what its lapse does. */
export interface CertificationItemRef {
  kind: "entitlement" | "workload";
  name: string;
  onNoResponse: "keep" | "suspend";
}

/**
 * A policy's certification: its pull request opened, its reviewers reminded (due), the record
 * merged (approved), or its due date passed with no merged record (lapsed).
 */
export interface CertificationEvent extends EventBase {
  type: "certification-opened" | "certification-due" | "certification-approved" | "certification-lapsed";
  /** metadata.name of the policy certified. */
  policy: string;
  items: CertificationItemRef[];
  pr?: number;
  headSha?: string;
  /** When it is (or was) due; for lapsed, when it lapsed (absent: never certified). */
  due?: string;
  /** For due: the reminder sent, 14 days before or on the due date. */
  reminder?: "before" | "due";
  /** Teams (org/team) and logins asked to review (opened, due) or who approved (approved). */
  reviewers?: string[];
  /** For approved: until when it certifies (its date + the shortest every). */
  certifiedUntil?: string;
}

/**
 * A fact in the life of an access request or workload, emitted by the use cases and consumed by
 * subscribers (audit, notifications, activity records, certification) that never reach into them.
 */
export type LifecycleEvent =
  | DecisionEvent
  | PullEvent
  | GrantEvent
  | CredentialEvent
  | TrustEvent
  | NotificationEvent
  | ActivityEvent
  | CertificationEvent;

/** Every event type, in lifecycle order. */
export const LIFECYCLE_EVENT_TYPES = [
  "request-opened",
  "approval-needed",
  "approved",
  "denied",
  "invalid",
  "merged",
  "granted",
  "grant-failed",
  "expiring",
  "expired",
  "revoked",
  "break-glass",
  "credential-issued",
  "credential-refused",
  "trust-changed",
  "certification-opened",
  "certification-due",
  "certification-approved",
  "certification-lapsed",
  "notification-sent",
  "notification-failed",
  "activity",
] as const satisfies readonly LifecycleEvent["type"][];
