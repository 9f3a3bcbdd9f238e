import type { Binding } from "./binding.js";

/** A binding as a provider reports it: enough to match, compare and remove it. */
export interface ActualBinding {
  id: string;
  requestId: string;
  provider: Binding["provider"];
  principal: string;
  notBefore?: string;
  notAfter: string;
  /** Where the provider found it (GCP resource, Azure scope, cluster/namespace). */
  scope: string;
}

/** What to do so the cloud matches Git. */
export interface Plan {
  add: Binding[];
  /** Same id, different window or principal: an extension or a change. */
  update: Binding[];
  remove: ActualBinding[];
  /** Declared in Git but past notAfter: removed from the cloud, and its request file reverted. */
  expired: Binding[];
}

/**
 * Diffs the bindings Git declares against those the cloud holds, at `now`. Bindings past notAfter
 * are never added, and removed when present; bindings the cloud holds that Git does not declare are
 * removed. Pure: the providers carry the plan out.
 */
export function diffBindings(desired: Binding[], actual: ActualBinding[], now: Date): Plan {
  const plan: Plan = { add: [], update: [], remove: [], expired: [] };
  const held = new Map(actual.map((a) => [a.id, a]));
  const wanted = new Set<string>();
  for (const b of desired) {
    const a = held.get(b.id);
    if (Date.parse(b.notAfter) <= now.getTime()) {
      plan.expired.push(b);
      continue;
    }
    wanted.add(b.id);
    if (!a) plan.add.push(b);
    else if (
      a.notAfter !== b.notAfter ||
      a.principal !== b.principal ||
      (a.notBefore ?? b.notBefore) !== b.notBefore
    )
      plan.update.push(b);
  }
  for (const a of actual) if (!wanted.has(a.id)) plan.remove.push(a);
  return plan;
}
