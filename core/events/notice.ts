import type { NotifiableEvent, NotifySettings } from "./notification-routes.js";

/** What one message says, whatever the chat service: rendered as Block Kit or an Adaptive Card. */
export interface Notice {
  /** The event it is about (its id and type). */
  about: { id: string; type: string };
  repository: string;
  pr?: number;
  /** One line: what happened. */
  title: string;
  /** Where the request stands now. */
  status: string;
  /** The requester (GitHub login), and the principal when known. */
  who?: string;
  /** Entitlements (or request names) asked for. */
  what?: string;
  /** The grants, one line each. */
  where: string[];
  /** When access ends (RFC 3339), once known. */
  until?: string;
  /** Before a grant: the longest it may last. */
  atMost?: string;
  /** The pull request's review page: approval is a code review there, never a chat button. */
  reviewUrl?: string;
  /** Teams and logins who can still approve. */
  approvers?: string[];
}

const TITLES: Record<string, string> = {
  "request-opened": "requested access",
  "approval-needed": "needs approval",
  approved: "approved",
  denied: "denied",
  invalid: "is invalid",
  merged: "merged",
  granted: "access granted",
  "grant-failed": "grant FAILED",
  expiring: "access ends in 30 minutes",
  expired: "access expired",
  revoked: "access revoked",
  "break-glass": "BREAK-GLASS access granted without approval",
  "certification-due": "certification due",
  "certification-lapsed": "certification LAPSED",
};

/** Builds the notice of an event; `reviewUrl` gives a pull request's review page. */
export function buildNotice(
  event: NotifiableEvent,
  settings: NotifySettings,
  reviewUrl: (repository: string, pr: number) => string,
  requester: string | undefined,
): Notice {
  const e = event as NotifiableEvent & {
    pr?: number;
    requests?: { name: string; entitlement?: string; principal?: string }[];
    request?: { name: string; entitlement?: string; principal?: string };
    approvers?: string[];
    reasons?: string[];
    notAfter?: string;
    detail?: string;
    policy?: string;
    due?: string;
    reviewers?: string[];
    items?: { kind: string; name: string }[];
  };
  const requests = [...(e.requests ?? []), ...(e.request ? [e.request] : [])];
  const entitlements = [...new Set(requests.map((r) => r.entitlement).filter((x): x is string => !!x))];
  const summaries = entitlements.map((n) => settings.summaries.get(n)).filter((s) => s !== undefined);
  const names = [...requests.map((r) => r.name), ...(e.items ?? []).map((i) => `${i.kind} ${i.name}`)].join(
    ", ",
  );
  const principal = requests.find((r) => r.principal)?.principal;
  const what = entitlements.length ? `${entitlements.join(", ")} (${names})` : names || undefined;
  const approvers = e.type === "approval-needed" ? (e.approvers ?? []) : undefined;
  const subject =
    e.pr !== undefined
      ? `${e.repository}#${e.pr}`
      : e.policy
        ? `${e.repository} policy ${e.policy}`
        : names || e.repository;
  return {
    about: { id: e.id, type: e.type },
    repository: e.repository,
    ...(e.pr !== undefined ? { pr: e.pr, reviewUrl: reviewUrl(e.repository, e.pr) } : {}),
    title: `${subject}: ${TITLES[e.type] ?? e.type}`,
    status: statusOf(e, approvers),
    ...(requester || principal
      ? { who: [requester, principal && `(${principal})`].filter(Boolean).join(" ") }
      : {}),
    ...(what ? { what } : {}),
    where: summaries.flatMap((s) => s.where),
    ...(e.notAfter ? { until: e.notAfter } : e.due ? { until: e.due } : {}),
    ...(!e.notAfter && summaries.length ? { atMost: summaries.map((s) => s.maxDuration).join(", ") } : {}),
    ...(approvers ? { approvers } : {}),
  };
}

function statusOf(
  e: { type: string; reasons?: string[]; detail?: string; reviewers?: string[] },
  approvers: string[] | undefined,
): string {
  switch (e.type) {
    case "request-opened":
      return "Opened; waiting for the checks";
    case "approval-needed":
      return `Waiting for approval from ${approvers?.length ? approvers.join(", ") : "an eligible reviewer"} (review the pull request)`;
    case "approved":
      return "Approved on the head commit";
    case "denied":
    case "invalid":
      return (e.reasons ?? []).join("; ") || e.type;
    case "merged":
      return "Merged; granting";
    case "granted":
      return "Granted";
    case "grant-failed":
      return `The cloud refused the grant${e.detail ? `: ${e.detail}` : ""}`;
    case "expiring":
      return "Ends soon; extend with a pull request changing its duration";
    case "expired":
      return "Expired and removed";
    case "revoked":
      return "Revoked before its end (the request file was deleted)";
    case "break-glass":
      return "Granted without approval; a post-incident review must be closed by an approver";
    case "certification-due":
      return `Re-certify by reviewing the certification pull request${e.reviewers?.length ? ` (${e.reviewers.join(", ")})` : ""}`;
    case "certification-lapsed":
      return "Not re-certified in time: what lapses is kept with a warning, or suspended, as policy says";
    default:
      return e.type;
  }
}
