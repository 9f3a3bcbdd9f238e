import { NOTIFICATION_CODES } from "./notification-codes.js";
import type { Destination, Grant, Notifications, NotifyTargets, Policy, PrincipalMap } from "../types.js";
import type { LifecycleEvent, NotificationAudience } from "./lifecycle-event.js";

/** An event a chat message may be about: any lifecycle event (most have no route). */
export type NotifiableEvent = LifecycleEvent;

/** Every event type a chat message may be about. */
export type NotifiedType = NotifiableEvent["type"];

/**
 * Who hears about what. `thread` is the request's conversation in its approvers' destination (one
 * Slack thread per pull request, its first message updated as the state moves; a card per event on
 * Teams). Break-glass goes to security whatever an entitlement says.
 */
export const NOTIFICATION_ROUTES: Partial<Record<NotifiedType, NotificationAudience[]>> = {
  "request-opened": ["approvers"],
  "approval-needed": ["approvers", "requester"],
  approved: ["thread"],
  denied: ["thread"],
  merged: ["thread"],
  granted: ["thread"],
  "grant-failed": ["thread"],
  expiring: ["requester"],
  expired: ["requester"],
  revoked: ["requester"],
  "break-glass": ["security"],
  // A certification is reviewed like a request (its pull request gets a thread); a lapse also concerns security.
  "certification-due": ["approvers"],
  "certification-lapsed": ["approvers", "security"],
};

/** What a message says of an entitlement: what it is, where it grants, for how long at most. */
export interface EntitlementSummary {
  description?: string;
  /** One line per grant, e.g. `gcp projects/acme-prod roles/cloudsql.viewer`. */
  where: string[];
  maxDuration: string;
}

/** What the notifier needs of a policy: its destinations, each entitlement's overrides, and people. */
export interface NotifySettings {
  notifications: Notifications;
  entitlements: Map<string, NotifyTargets | undefined>;
  principals: Record<string, PrincipalMap>;
  summaries: Map<string, EntitlementSummary>;
}

/** The notification settings of a policy; undefined when it declares no `notifications`. */
export function notifySettings(policy: Policy): NotifySettings | undefined {
  if (!policy.notifications) return undefined;
  return {
    notifications: policy.notifications,
    entitlements: new Map(policy.entitlements.map((e) => [e.name, e.notify])),
    principals: policy.principals,
    summaries: new Map(
      policy.entitlements.map((e) => [
        e.name,
        {
          ...(e.description ? { description: e.description } : {}),
          where: e.grants.map(grantWhere),
          maxDuration: e.maxDuration,
        },
      ]),
    ),
  };
}

function grantWhere(g: Grant): string {
  if ("gcp" in g) return `gcp ${g.gcp.resource} ${g.gcp.role}`;
  if ("azure" in g) return `azure ${g.azure.scope} ${g.azure.role}`;
  const k = g.kubernetes;
  const role = k.clusterRole ? `clusterRole ${k.clusterRole}` : `role ${k.role ?? "?"}`;
  return `kubernetes ${k.cluster}${k.namespace ? `/${k.namespace}` : ""} ${role}`;
}

/** One message to send: the service, who it is for, and where. */
export interface Delivery {
  service: "slack" | "teams";
  audience: NotificationAudience;
  /** Slack: a channel (`#name` or id), or a member id for a direct message. Teams: a webhook name. */
  destination: string;
  /** Slack threads: other channels where the thread may already be (an event that names no entitlement). */
  candidates?: string[];
  /** The requester's GitHub login, when known (named in the message). */
  requester?: string;
  /** The requester's Slack member id, when mapped (mentioned in channel messages). */
  mention?: string;
}

/** A message that cannot be sent as configured; reported as a notification-failed event. */
export interface RouteProblem {
  service: "slack" | "teams";
  audience: NotificationAudience;
  destination: string;
  code: string;
  detail: string;
}

/** The messages an event calls for under a policy's settings, and those it cannot send. */
export function routeNotification(
  event: NotifiableEvent,
  settings: NotifySettings,
): { deliveries: Delivery[]; problems: RouteProblem[] } {
  const audiences = NOTIFICATION_ROUTES[event.type] ?? [];
  const deliveries: Delivery[] = [];
  const problems: RouteProblem[] = [];
  const entitlements = entitlementsOf(event);
  const requester = requesterOf(event, settings.principals);
  for (const audience of audiences) {
    const key = audience === "thread" ? "approvers" : audience;
    for (const d of destinations(key, entitlements, settings)) {
      if (d.slack !== undefined) {
        if (audience === "requester" && d.slack === "direct") {
          const member = requester && memberOf(requester, settings.principals);
          if (member) deliveries.push({ service: "slack", audience, destination: member, requester });
          else
            problems.push({
              service: "slack",
              audience,
              destination: "direct",
              code: NOTIFICATION_CODES.noSlackMember,
              detail: requester
                ? `${requester} has no slack member id in policy principals, so no direct message can reach them`
                : "the event names no requester that policy principals map, so no direct message can be sent",
            });
        } else if (audience !== "requester" || d.slack !== "direct") {
          const member = requester ? memberOf(requester, settings.principals) : undefined;
          deliveries.push({
            service: "slack",
            audience,
            destination: d.slack,
            ...(audience === "thread" && entitlements.length === 0
              ? { candidates: allApproverChannels(settings).filter((c) => c !== d.slack) }
              : {}),
            ...(requester ? { requester } : {}),
            ...(member ? { mention: member } : {}),
          });
        }
      }
      if (d.teams !== undefined)
        deliveries.push({
          service: "teams",
          audience,
          destination: d.teams,
          ...(requester ? { requester } : {}),
        });
    }
  }
  return { deliveries: unique(deliveries), problems };
}

/** Where one audience hears about requests of these entitlements; security always includes the policy's. */
function destinations(
  audience: keyof NotifyTargets,
  entitlements: string[],
  s: NotifySettings,
): Destination[] {
  const policy = s.notifications[audience];
  if (entitlements.length === 0) return policy ? [policy] : [];
  const out: Destination[] = audience === "security" && policy ? [policy] : [];
  for (const e of entitlements) {
    const own = s.entitlements.get(e)?.[audience];
    if (own) out.push(own);
    else if (audience !== "security" && policy) out.push(policy);
  }
  return out;
}

function allApproverChannels(s: NotifySettings): string[] {
  const all = [
    s.notifications.approvers?.slack,
    ...[...s.entitlements.values()].map((t) => t?.approvers?.slack),
  ];
  return [...new Set(all.filter((c): c is string => c !== undefined))];
}

function entitlementsOf(event: object): string[] {
  const e = event as {
    requests?: { entitlement?: string }[];
    request?: { entitlement?: string };
    items?: { kind: string; name: string }[];
  };
  const names = [
    ...[...(e.requests ?? []), ...(e.request ? [e.request] : [])].map((r) => r.entitlement),
    ...(e.items ?? []).filter((i) => i.kind === "entitlement").map((i) => i.name),
  ];
  return [...new Set(names.filter((n): n is string => n !== undefined))];
}

/** The requester's login: named by the event, or found by the principal a binding was made for. */
function requesterOf(event: object, principals: Record<string, PrincipalMap>): string | undefined {
  const e = event as {
    requests?: { requester?: string }[];
    request?: { requester?: string; principal?: string };
  };
  const named = e.requests?.find((r) => r.requester)?.requester ?? e.request?.requester;
  if (named) return named;
  const principal = e.request?.principal;
  if (principal === undefined) return undefined;
  return Object.entries(principals).find(([, map]) =>
    Object.entries(map).some(([k, v]) => k !== "slack" && v === principal),
  )?.[0];
}

function memberOf(login: string, principals: Record<string, PrincipalMap>): string | undefined {
  return Object.entries(principals).find(([l]) => l.toLowerCase() === login.toLowerCase())?.[1].slack;
}

function unique(ds: Delivery[]): Delivery[] {
  const seen = new Set<string>();
  return ds.filter((d) => {
    const k = `${d.service}\u0000${d.audience}\u0000${d.destination}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
