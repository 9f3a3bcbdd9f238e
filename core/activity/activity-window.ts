import type { ActivityEntry, ActivityProvider } from "./activity-entry.js";

/** Whose activity a record covers: one request's grant window, or a workload over a period. */
export type ActivitySubject =
  | { kind: "grant"; request: string; entitlement?: string; breakGlass?: boolean }
  | { kind: "workload"; workload: string };

/**
 * A span of time in which a principal held access in one cloud, and where to look for what it did:
 * GCP projects (`projects/p`), Azure subscriptions (`/subscriptions/id`), Kubernetes clusters.
 */
export interface ActivityWindow {
  subject: ActivitySubject;
  provider: ActivityProvider;
  /** The principal as policy names it (`user:alice@example.com`, an object id, a Kubernetes user). */
  principal: string;
  /** Other names the logs may use for the same principal (an Azure client id besides the object id). */
  aliases?: string[];
  scopes: string[];
  /** RFC 3339; the grant's start (its merge) or the period's start. */
  start: string;
  /** RFC 3339; its end (expiry, revoke) or the period's end. */
  end: string;
}

/** A principal as the audit logs name it: GCP logs an email, not `user:`/`serviceAccount:`; case is not significant. */
export function logIdentity(principal: string): string {
  return principal.replace(/^(?:user|serviceAccount|group|principal):/, "").toLowerCase();
}

/** Every name of the window's principal as the logs may spell it. */
export function windowIdentities(window: ActivityWindow): string[] {
  return [...new Set([window.principal, ...(window.aliases ?? [])].map(logIdentity))];
}

/** Whether an entry is the window's principal (or made on its behalf) acting within the window. */
export function entryInWindow(entry: ActivityEntry, window: ActivityWindow): boolean {
  if (entry.provider !== window.provider) return false;
  const t = Date.parse(entry.time);
  if (!(t >= Date.parse(window.start) && t <= Date.parse(window.end))) return false;
  const ids = windowIdentities(window);
  return [entry.principal, entry.onBehalfOf, entry.application].some(
    (n) => n !== undefined && ids.includes(logIdentity(n)),
  );
}

/** When to read the logs for a window: its end plus the delay the cloud takes to deliver audit entries. */
export function collectAt(window: ActivityWindow, settleMs: number): Date {
  return new Date(Date.parse(window.end) + settleMs);
}

/** A stable key for a window (its subject, cloud, principal and span). */
export function windowKey(window: ActivityWindow): string {
  const s = window.subject;
  const who = s.kind === "grant" ? `request:${s.request}` : `workload:${s.workload}`;
  return [who, window.provider, logIdentity(window.principal), window.start, window.end].join("|");
}
