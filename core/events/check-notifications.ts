import type { Entitlement, Notifications, NotifyTargets, Policy } from "../types.js";

/** A Teams webhook name a policy file refers to, and where (a JSON pointer into that file). */
export interface TeamsReference {
  pointer: string;
  name: string;
}

const AUDIENCES = ["approvers", "requester", "security"] as const;

/** Every `teams:` destination of a policy file's `notifications` and entitlements' `notify`. */
export function teamsReferences(spec: {
  notifications?: Notifications;
  entitlements?: Entitlement[];
}): TeamsReference[] {
  const refs: TeamsReference[] = [];
  const collect = (targets: NotifyTargets | undefined, base: string) => {
    for (const a of AUDIENCES) {
      const name = targets?.[a]?.teams;
      if (typeof name === "string") refs.push({ pointer: `${base}/${a}/teams`, name });
    }
  };
  collect(spec.notifications, "/spec/notifications");
  (spec.entitlements ?? []).forEach((e, i) => collect(e.notify, `/spec/entitlements/${i}/notify`));
  return refs;
}

/**
 * Why a Teams destination names no declared webhook, or undefined when it is declared. Names are
 * declared once in `notifications.teamsWebhooks` so that a typo fails validation in the pull request,
 * not a message at runtime; their URLs are secrets, so policy holds only the names.
 */
export function unknownTeamsWebhook(name: string, declared: readonly string[]): string | undefined {
  if (declared.includes(name)) return undefined;
  const known = declared.length ? `declared: ${declared.join(", ")}` : "none is declared";
  return `teams webhook ${name} is not declared in notifications.teamsWebhooks (${known}); declare it there and set its URL in ${teamsWebhookVariable(name)}`;
}

/** The environment variable holding a Teams webhook's URL: JITOPS_TEAMS_WEBHOOK_<NAME>, `-` as `_`. */
export function teamsWebhookVariable(name: string): string {
  return `JITOPS_TEAMS_WEBHOOK_${name.toUpperCase().replace(/-/g, "_")}`;
}

/**
 * Merges one file's `notifications` into the merged policy: webhook names add up; each audience
 * (approvers, requester, security) is set by one file only, so no file silently overrides another.
 * Returns the audiences an earlier file had already set, as problems at this file's pointers.
 * `firstAt` remembers where each audience was set (path:line); `where` says it for this file.
 */
export function mergeNotifications(
  merged: Policy,
  own: Notifications | undefined,
  firstAt: Map<string, string>,
  where: (pointer: string) => string,
): { pointer: string; message: string }[] {
  if (!own) return [];
  const into: Notifications = (merged.notifications ??= {});
  const clashes: { pointer: string; message: string }[] = [];
  if (own.teamsWebhooks)
    into.teamsWebhooks = [...new Set([...(into.teamsWebhooks ?? []), ...own.teamsWebhooks])];
  for (const a of AUDIENCES) {
    const d = own[a];
    if (!d) continue;
    const pointer = `/spec/notifications/${a}`;
    const first = firstAt.get(a);
    if (first === undefined) {
      into[a] = d;
      firstAt.set(a, where(pointer));
    } else
      clashes.push({
        pointer,
        message: `notifications.${a} is already set at ${first}; each of approvers, requester and security is set in one policy file`,
      });
  }
  return clashes;
}
