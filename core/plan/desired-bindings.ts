import type { CheckedRequest } from "../check-request.js";
import type { CompiledPolicy } from "../compile-policy.js";
import { bindingId, providerOf, type Binding } from "./binding.js";

/** A request that is in Git on the default branch, and when it (last) merged. */
export interface MergedRequest {
  checked: CheckedRequest;
  /** Login of the PR author who requested it: the default grantee. */
  requester: string;
  mergedAt: Date;
}

/** Why a merged request yields no bindings. */
export interface Unbindable {
  requestId: string;
  reason: string;
}

/**
 * The bindings Git declares: one per grant of each merged request, expiring at
 * `(start ?? mergedAt) + duration`. Never open-ended: every binding has a notAfter.
 */
export function desiredBindings(
  requests: MergedRequest[],
  policy: CompiledPolicy,
): { bindings: Binding[]; unbindable: Unbindable[] } {
  const bindings: Binding[] = [];
  const unbindable: Unbindable[] = [];
  const principals = Object.entries(policy.source.principals);
  for (const m of requests) {
    const req = m.checked.request;
    const requestId = req.metadata.name;
    const asked = req.spec.principal;
    const login = asked
      ? [...(policy.principalOwners.get(asked) ?? [])][0]
      : principals.find(([l]) => l.toLowerCase() === m.requester.toLowerCase())?.[0];
    const map = login ? principals.find(([l]) => l === login)?.[1] : undefined;
    if (!login || !map) {
      unbindable.push({
        requestId,
        reason: `no principals are mapped in policy for ${asked ?? m.requester}`,
      });
      continue;
    }
    const start = m.checked.start && m.checked.start > m.mergedAt ? m.checked.start : m.mergedAt;
    const notAfter = new Date(start.getTime() + m.checked.minutes * 60_000);
    const grants = m.checked.entitlement.source.grants;
    const counts = { gcp: 0, azure: 0, kubernetes: 0 };
    for (const grant of grants) {
      const provider = providerOf(grant);
      const principal = map[provider];
      const index = counts[provider]++;
      if (!principal) {
        unbindable.push({ requestId, reason: `${login} has no ${provider} principal mapped in policy` });
        continue;
      }
      bindings.push({
        id: bindingId(requestId, provider, index),
        requestId,
        provider,
        grant,
        principal,
        login,
        entitlement: m.checked.entitlement.source.name,
        notBefore: start.toISOString(),
        notAfter: notAfter.toISOString(),
        startsLater: start !== m.mergedAt,
      });
    }
  }
  return { bindings, unbindable };
}
