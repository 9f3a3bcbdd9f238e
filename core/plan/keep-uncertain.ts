import type { ActualBinding } from "./diff-bindings.js";

/**
 * Which planned removals may go ahead. Without a readable policy, or for a request whose merge
 * could not be checked this time, what is held is kept unless it has expired: a transient error
 * must not revoke access early (the cloud refuses an expired binding by itself anyway).
 */
export function removalsToApply(
  remove: ActualBinding[],
  now: Date,
  policyReadable: boolean,
  uncertain: ReadonlySet<string>,
): ActualBinding[] {
  return remove.filter(
    (a) => Date.parse(a.notAfter) <= now.getTime() || (policyReadable && !uncertain.has(a.requestId)),
  );
}
