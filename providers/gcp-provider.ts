import { conditionTitle, MARKER, type Binding } from "../core/plan/binding.js";
import type { ActualBinding } from "../core/plan/diff-bindings.js";
import { scopeOf, type Provider, type ProviderReport } from "../core/plan/provider.js";
import type { IamBinding, IamPolicy, IamPolicyClient } from "./gcp-iam-client.js";
import { DEFAULT_RETRY, retryTransient, type RetryOptions } from "./retry-transient.js";

/** How often a read-modify-write is retried when another writer changed the policy (409 ABORTED). */
export const MAX_ETAG_RETRIES = 5;

const DESCRIPTION = /^jitops binding (\S+)/;
const BEFORE = /request\.time < timestamp\("([^"]+)"\)/;
const AFTER = /request\.time >= timestamp\("([^"]+)"\)/;

/** The IAM condition expression of a binding: an upper bound always, a lower bound for a later start. */
export function conditionExpression(b: Binding): string {
  const upper = `request.time < timestamp("${b.notAfter.replace(".000Z", "Z")}")`;
  return b.startsLater
    ? `${upper} && request.time >= timestamp("${b.notBefore.replace(".000Z", "Z")}")`
    : upper;
}

function isConflict(e: unknown): boolean {
  const err = e as { code?: number | string; status?: number | string };
  return err.code === 409 || err.code === 10 || err.status === "ABORTED" || err.code === "ABORTED";
}

/** Reads a jitops binding back from an IAM binding, or undefined when it is not ours. */
function readOurs(b: IamBinding, resource: string): ActualBinding[] {
  const title = b.condition?.title ?? "";
  const match = DESCRIPTION.exec(b.condition?.description ?? "");
  if (!title.startsWith(`${MARKER}:`) || !match) return [];
  const expr = b.condition?.expression ?? "";
  const notAfter = BEFORE.exec(expr)?.[1];
  if (!notAfter) return [];
  const notBefore = AFTER.exec(expr)?.[1];
  return (b.members ?? []).map((principal) => ({
    id: match[1]!,
    requestId: title.slice(MARKER.length + 1),
    provider: "gcp" as const,
    principal,
    notAfter: new Date(notAfter).toISOString(),
    ...(notBefore ? { notBefore: new Date(notBefore).toISOString() } : {}),
    scope: resource,
  }));
}

/**
 * GCP IAM through conditional role bindings: one binding per grant, condition title
 * `jitops:<request-id>`, an expiry GCP itself enforces. Read-modify-write with the etag and
 * bounded retries; touches only its own conditional bindings, never other members or bindings.
 */
export function gcpProvider(iam: IamPolicyClient, retry: RetryOptions = DEFAULT_RETRY): Provider {
  // setIamPolicy is not retried by the client; ours is a read-modify-write with the etag, so it is safe to.
  const client: IamPolicyClient = {
    get: (resource) => retryTransient(() => iam.get(resource), retry),
    set: (resource, policy) => retryTransient(() => iam.set(resource, policy), retry),
  };
  return {
    name: "gcp",
    async list(scopes) {
      const out: ActualBinding[] = [];
      for (const resource of new Set(scopes)) {
        const policy = await client.get(resource);
        for (const b of policy.bindings ?? []) out.push(...readOurs(b, resource));
      }
      return out;
    },
    async reconcile({ put, remove }) {
      const report: ProviderReport = { done: [], failed: [] };
      const byResource = new Map<string, { put: Binding[]; remove: ActualBinding[] }>();
      const slot = (r: string) => byResource.get(r) ?? byResource.set(r, { put: [], remove: [] }).get(r)!;
      for (const b of put) slot(scopeOf(b)).put.push(b);
      for (const a of remove) slot(a.scope).remove.push(a);
      for (const [resource, changes] of byResource) {
        const ids = [...changes.put.map((b) => b.id), ...changes.remove.map((a) => a.id)];
        try {
          await writeWithRetry(client, resource, (policy) => applyChanges(policy, changes));
          report.done.push(...ids);
        } catch (e) {
          for (const id of ids) report.failed.push({ id, error: `${resource}: ${(e as Error).message}` });
        }
      }
      return report;
    },
  };
}

/** One read-modify-write of a resource's policy, retried on etag conflicts; no write when nothing changes. */
export async function writeWithRetry(
  client: IamPolicyClient,
  resource: string,
  mutate: (p: IamPolicy) => boolean,
): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    const policy = await client.get(resource);
    if (!mutate(policy)) return;
    try {
      // Version 3 with the etag: a version-1 write would silently drop every condition.
      await client.set(resource, { ...policy, version: 3 });
      return;
    } catch (e) {
      if (!isConflict(e) || attempt >= MAX_ETAG_RETRIES) throw e;
    }
  }
}

/** Applies puts and removes to a policy in place; returns whether anything changed. */
export function applyChanges(
  policy: IamPolicy,
  changes: { put: Binding[]; remove: ActualBinding[] },
): boolean {
  const before = JSON.stringify(policy.bindings ?? []);
  let bindings = [...(policy.bindings ?? [])].map((b) => ({ ...b, members: [...(b.members ?? [])] }));
  const dropMember = (id: string, member: string) => {
    for (const b of bindings) {
      const d = DESCRIPTION.exec(b.condition?.description ?? "");
      if (d?.[1] === id && b.condition?.title?.startsWith(`${MARKER}:`))
        b.members = b.members.filter((m) => m !== member);
    }
  };
  for (const a of changes.remove) dropMember(a.id, a.principal);
  for (const b of changes.put) {
    if (!("gcp" in b.grant)) continue;
    const role = b.grant.gcp.role;
    const condition = {
      title: conditionTitle(b.requestId),
      description: `jitops binding ${b.id}`,
      expression: conditionExpression(b),
    };
    const same = bindings.find(
      (x) =>
        x.role === role &&
        x.condition?.title === condition.title &&
        x.condition?.description === condition.description &&
        x.condition?.expression === condition.expression,
    );
    if (same?.members.includes(b.principal)) continue;
    // An extension or change replaces this binding's earlier condition for this member.
    for (const x of bindings) {
      if (
        x.condition?.description === condition.description &&
        x.condition?.title === condition.title &&
        x !== same
      ) {
        x.members = x.members.filter((m) => m !== b.principal);
      }
    }
    if (same) same.members.push(b.principal);
    else bindings.push({ role, members: [b.principal], condition });
  }
  bindings = bindings.filter((b) => b.members.length > 0);
  const changed = JSON.stringify(bindings) !== before;
  if (changed) policy.bindings = bindings;
  return changed;
}
