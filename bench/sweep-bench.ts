import type { Binding } from "../core/plan/binding.js";
import { diffBindings } from "../core/plan/diff-bindings.js";
import type { IamPolicy, IamPolicyClient } from "../providers/gcp-iam-client.js";
import { conditionExpression, gcpProvider } from "../providers/gcp-provider.js";
import { round } from "./measure.js";

/** An in-memory Resource Manager that counts reads and writes per resource. */
function countingIam(policies: Map<string, IamPolicy>) {
  const counts = { reads: 0, writes: 0, readsPerResource: new Map<string, number>() };
  const client: IamPolicyClient = {
    async get(resource) {
      counts.reads++;
      counts.readsPerResource.set(resource, (counts.readsPerResource.get(resource) ?? 0) + 1);
      return structuredClone(policies.get(resource) ?? { version: 3, etag: "0", bindings: [] });
    },
    async set(resource, policy) {
      counts.writes++;
      policies.set(resource, { ...policy, etag: String(Number(policy.etag ?? 0) + 1) });
      return policy;
    },
  };
  return { client, counts };
}

/**
 * A sweep over `grants` active GCP grants spread over `resources` projects, of which `expired` are
 * past notAfter: cloud writes must grow with the expired count only, reads stay constant per resource.
 */
export async function benchSweep(grants = 100_000, expired = 100, resources = 1000) {
  const now = new Date("2026-11-24T12:00:00Z");
  const desired: Binding[] = [];
  const policies = new Map<string, IamPolicy>();
  for (let i = 0; i < grants; i++) {
    const resource = `projects/p-${i % resources}`;
    const notAfter = i < expired ? "2026-11-24T11:00:00.000Z" : "2026-11-24T18:00:00.000Z";
    const b: Binding = {
      id: `req-${i}/gcp/0`,
      requestId: `req-${i}`,
      provider: "gcp",
      grant: { gcp: { resource, role: "roles/cloudsql.viewer" } },
      principal: `user:u${i}@example.com`,
      login: `u${i}`,
      entitlement: "bench",
      notBefore: "2026-11-24T08:00:00.000Z",
      notAfter,
      startsLater: false,
    };
    desired.push(b);
    const p = policies.get(resource) ?? { version: 3, etag: "1", bindings: [] };
    p.bindings!.push({
      role: "roles/cloudsql.viewer",
      members: [b.principal],
      condition: {
        title: `jitops:${b.requestId}`,
        description: `jitops binding ${b.id}`,
        expression: conditionExpression(b),
      },
    });
    policies.set(resource, p);
  }
  const { client, counts } = countingIam(policies);
  const provider = gcpProvider(client);
  const t = process.hrtime.bigint();
  const actual = await provider.list([...policies.keys()]);
  const plan = diffBindings(desired, actual, now);
  const report = await provider.reconcile({ put: [...plan.add, ...plan.update], remove: plan.remove });
  const ms = Number(process.hrtime.bigint() - t) / 1e6;
  if (report.failed.length > 0 || plan.remove.length !== expired)
    throw new Error("sweep bench did not remove exactly the expired grants");
  return {
    grants,
    expired,
    resources,
    cloud_writes: counts.writes,
    cloud_reads: counts.reads,
    max_reads_per_resource: Math.max(...counts.readsPerResource.values()),
    ms: round(ms, 1),
  };
}
