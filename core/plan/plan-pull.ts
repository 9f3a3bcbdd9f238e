import { checkRequest, isRequestPath } from "../check-request.js";
import type { PreparedBase } from "../evaluate/prepare-base.js";
import type { PullSnapshot } from "../evaluate/pull-snapshot.js";
import { desiredBindings, type MergedRequest } from "./desired-bindings.js";
import { diffBindings } from "./diff-bindings.js";
import { renderPlan } from "./render-plan.js";

/** Marker of the bot's one sticky plan comment on a pull request. */
export const PLAN_MARKER = "<!-- jitops:plan -->";

/**
 * The plan comment of a pull request: the bindings its valid request files would get if merged
 * now (who, role, where, until when in UTC and relative). Undefined when the PR has no valid request.
 */
export function planComment(base: PreparedBase, pr: PullSnapshot, now: Date): string | undefined {
  const policy = base.loaded.policy;
  if (!policy) return undefined;
  const merged: MergedRequest[] = [];
  for (const f of pr.files) {
    if (!isRequestPath(f.path) || f.status === "removed" || f.content === undefined) continue;
    const r = checkRequest({ path: f.path, content: f.content }, policy, now);
    if (r.ok) merged.push({ checked: r.value, requester: pr.author, mergedAt: now });
  }
  if (merged.length === 0) return undefined;
  const { bindings, unbindable } = desiredBindings(merged, policy);
  const lines = [
    PLAN_MARKER,
    `**jitops plan** for \`${pr.head.slice(0, 7)}\`: what merging now would grant (expiry counts from the merge).`,
    "",
    renderPlan(diffBindings(bindings, [], now), now),
    ...unbindable.map((u) => `\n- cannot grant ${u.requestId}: ${u.reason}`),
  ];
  return lines.join("\n");
}
