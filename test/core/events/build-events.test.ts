import { grantAuditEvent } from "../../../core/audit-grant.js";
import { credentialAuditEvent } from "../../../core/audit-credential.js";
import type { Decision } from "../../../core/evaluate/decision.js";
import { credentialEvent, decisionEvent, grantEvent } from "../../../core/events/build-events.js";
import { LIFECYCLE_EVENT_TYPES } from "../../../core/events/lifecycle-event.js";
import { expectLifecycleEvent } from "./lifecycle-schema.js";

const now = new Date("2026-12-01T10:00:00Z");
const pending: Decision = {
  decision: "pending",
  reasons: ["alice-prod-db: sre needs 1 approval, has 0"],
  autoMerge: false,
  requests: [
    {
      path: "access/requests/alice-prod-db.yaml",
      name: "alice-prod-db",
      entitlement: "prod-db-reader",
      principal: "user:alice@example.com",
      decision: "pending",
      rules: [
        {
          name: "sre",
          need: 1,
          have: 0,
          approvers: [],
          approverIds: [],
          candidates: { teams: ["acme/sre"], users: ["bob"] },
        },
        {
          name: "owners",
          need: 1,
          have: 1,
          approvers: ["carol"],
          approverIds: [3],
          candidates: { teams: ["acme/db"], users: [] },
        },
      ],
    },
  ],
};
const binding = {
  id: "alice-prod-db/gcp/0",
  requestId: "alice-prod-db",
  provider: "gcp" as const,
  principal: "user:alice@example.com",
  login: "alice",
  entitlement: "prod-db-reader",
  notBefore: "2026-12-01T10:00:00Z",
  startsLater: false,
  notAfter: "2026-12-01T14:00:00Z",
  grant: { gcp: { resource: "projects/acme-prod", role: "roles/cloudsql.viewer" } },
};

describe("lifecycle events (schemas/lifecycle-event.schema.json, version 1)", () => {
  it("a pending decision is approval-needed, naming who can still approve (not who already did)", () => {
    const e = decisionEvent({
      now,
      repository: "acme/access",
      pr: 7,
      headSha: "a".repeat(40),
      author: "alice",
      decision: pending,
    });
    expectLifecycleEvent(e);
    expect(e).toMatchObject({
      type: "approval-needed",
      approvers: ["acme/sre", "bob"],
      requests: [{ name: "alice-prod-db", entitlement: "prod-db-reader", requester: "alice" }],
    });
    const again = decisionEvent({
      now: new Date(),
      repository: "acme/access",
      pr: 7,
      headSha: "a".repeat(40),
      author: "alice",
      decision: pending,
    });
    expect(again.id).toBe(e.id);
  });

  it.each([
    ["grant", "2026-12-01T10:00:00.000Z", "granted"],
    ["grant-failed", "2026-12-01T10:00:00.000Z", "grant-failed"],
    ["revoke", "2026-12-01T11:00:00.000Z", "revoked"],
    ["revoke", "2026-12-01T14:00:00.000Z", "expired"],
    ["break-glass", "2026-12-01T10:00:00.000Z", "break-glass"],
  ] as const)("a %s audit at %s is %s", (kind, at, type) => {
    const e = grantEvent(
      grantAuditEvent({
        now: new Date(at),
        kind,
        repository: "acme/access",
        commit: "b".repeat(40),
        binding,
        pr: 7,
        ...(kind === "grant-failed" ? { detail: "403" } : {}),
      }),
    );
    expectLifecycleEvent(e);
    expect(e.type).toBe(type);
  });

  it("credentials issued and refused", () => {
    for (const outcome of ["issued", "refused"] as const) {
      const audit = credentialAuditEvent({
        now,
        outcome,
        workload: "api-deploy",
        provider: "gcp",
        claims: { repository: "acme/api", run_id: 42, token: "never kept" },
        ...(outcome === "refused" ? { reason: "ref" } : { expiresAt: "2026-12-01T10:15:00.000Z" }),
      });
      const e = credentialEvent(audit, "acme/access");
      expectLifecycleEvent(e);
      expect(e.type).toBe(`credential-${outcome}`);
      expect(e.claims).toEqual({ repository: "acme/api", run_id: "42" });
    }
  });

  it("the schema refuses what is not an event", () => {
    expect(() =>
      expectLifecycleEvent({
        schemaVersion: 1,
        id: "x",
        type: "granted",
        time: now.toISOString(),
        repository: "acme/access",
      }),
    ).toThrow(/request/);
    expect(() =>
      expectLifecycleEvent({
        schemaVersion: 2,
        id: "x",
        type: "merged",
        time: "yesterday",
        repository: "acme",
      }),
    ).toThrow();
    expect(LIFECYCLE_EVENT_TYPES).toHaveLength(22);
  });
});
