import type { ActualBinding } from "../../core/plan/diff-bindings.js";
import type { IamPolicy, IamPolicyClient } from "../../providers/gcp-iam-client.js";
import {
  applyChanges,
  conditionExpression,
  gcpProvider,
  MAX_ETAG_RETRIES,
} from "../../providers/gcp-provider.js";
import { GCP_IAM_BINDING, gcpBinding } from "../fixtures/bindings.js";

const OTHERS = [
  { role: "roles/cloudsql.viewer", members: ["user:bob@example.com"] },
  {
    role: "roles/cloudsql.viewer",
    members: ["user:carol@example.com"],
    condition: { title: "business-hours", expression: 'request.time < timestamp("2027-01-01T00:00:00Z")' },
  },
  { role: "roles/owner", members: ["group:admins@example.com"] },
];

function policy(): IamPolicy {
  return { version: 3, etag: "e1", bindings: structuredClone(OTHERS) };
}

/** An in-memory IAM endpoint with etags; `conflicts` stale-etag failures are injected first. */
function fakeIam(conflicts = 0) {
  let current = policy();
  let etag = 1;
  const calls = { get: 0, set: 0 };
  const client: IamPolicyClient = {
    async get() {
      calls.get++;
      return structuredClone(current);
    },
    async set(_r, p) {
      calls.set++;
      if (conflicts-- > 0) throw Object.assign(new Error("ABORTED: etag mismatch"), { code: 10 });
      if (p.etag !== current.etag) throw Object.assign(new Error("stale etag"), { code: 10 });
      expect(p.version).toBe(3);
      current = { ...structuredClone(p), etag: `e${++etag}` };
      return current;
    },
  };
  return { client, calls, current: () => current };
}

describe("gcp provider", () => {
  it("renders an upper bound, and a lower bound only for a later start", () => {
    expect(conditionExpression(gcpBinding())).toBe('request.time < timestamp("2026-11-24T14:00:00Z")');
    expect(
      conditionExpression(gcpBinding({ startsLater: true, notBefore: "2026-11-25T09:00:00.000Z" })),
    ).toBe(
      'request.time < timestamp("2026-11-24T14:00:00Z") && request.time >= timestamp("2026-11-25T09:00:00Z")',
    );
  });

  it("adds one conditional binding titled jitops:<request-id> and leaves every other binding alone", async () => {
    const iam = fakeIam();
    const report = await gcpProvider(iam.client).reconcile({ put: [gcpBinding()], remove: [] });
    expect(report).toEqual({ done: ["alice-prod-db/gcp/0"], failed: [] });
    const bindings = iam.current().bindings!;
    expect(bindings.slice(0, 3)).toEqual(OTHERS);
    expect(bindings[3]).toEqual(GCP_IAM_BINDING);
  });

  it("is idempotent: applying the same binding twice writes once", async () => {
    const iam = fakeIam();
    const p = gcpProvider(iam.client);
    await p.reconcile({ put: [gcpBinding()], remove: [] });
    await p.reconcile({ put: [gcpBinding()], remove: [] });
    expect(iam.calls).toEqual({ get: 2, set: 1 });
    expect(iam.current().bindings!.filter((b) => b.condition?.title === "jitops:alice-prod-db")).toHaveLength(
      1,
    );
  });

  it("replaces the condition on an extension instead of adding a second binding", async () => {
    const iam = fakeIam();
    const p = gcpProvider(iam.client);
    await p.reconcile({ put: [gcpBinding()], remove: [] });
    await p.reconcile({ put: [gcpBinding({ notAfter: "2026-11-24T18:00:00.000Z" })], remove: [] });
    const ours = iam.current().bindings!.filter((b) => b.condition?.title === "jitops:alice-prod-db");
    expect(ours).toHaveLength(1);
    expect(ours[0]!.condition!.expression).toContain("2026-11-24T18:00:00Z");
  });

  it("lists its own bindings back and removes only them", async () => {
    const iam = fakeIam();
    const p = gcpProvider(iam.client);
    await p.reconcile({ put: [gcpBinding()], remove: [] });
    const listed = await p.list(["projects/acme-prod"]);
    expect(listed).toEqual([
      {
        id: "alice-prod-db/gcp/0",
        requestId: "alice-prod-db",
        provider: "gcp",
        principal: "user:alice@example.com",
        notAfter: "2026-11-24T14:00:00.000Z",
        scope: "projects/acme-prod",
      } satisfies ActualBinding,
    ]);
    await p.reconcile({ put: [], remove: listed });
    expect(iam.current().bindings).toEqual(OTHERS);
  });

  it("retries a stale etag (409 ABORTED) with a fresh read, a bounded number of times", async () => {
    const ok = fakeIam(2);
    expect((await gcpProvider(ok.client).reconcile({ put: [gcpBinding()], remove: [] })).failed).toEqual([]);
    expect(ok.calls).toEqual({ get: 3, set: 3 });

    const stuck = fakeIam(100);
    const report = await gcpProvider(stuck.client).reconcile({ put: [gcpBinding()], remove: [] });
    expect(report.done).toEqual([]);
    expect(report.failed[0]!.error).toContain("ABORTED");
    expect(stuck.calls.set).toBe(MAX_ETAG_RETRIES);
  });

  it("never removes another tool's binding that merely shares the role", () => {
    const p = policy();
    const changed = applyChanges(p, {
      put: [],
      remove: [
        {
          id: "x/gcp/0",
          requestId: "x",
          provider: "gcp",
          principal: "user:bob@example.com",
          notAfter: "2026-01-01T00:00:00.000Z",
          scope: "projects/acme-prod",
        },
      ],
    });
    expect(changed).toBe(false);
    expect(p.bindings).toEqual(OTHERS);
  });
});
