import type { GrantEvent, LifecycleEvent } from "../../../core/events/lifecycle-event.js";
import { notifySettings, routeNotification } from "../../../core/events/notification-routes.js";
import type { Policy } from "../../../core/types.js";

// Who hears what, under one policy: approvers in their channel, the requester directly, security
// on every break-glass whatever an entitlement says.

const policy = {
  principals: {
    alice: { gcp: "user:alice@example.com", slack: "U0ALICE" },
    bob: { gcp: "user:bob@example.com" },
  },
  policyOwners: [],
  workloads: [],
  notifications: {
    teamsWebhooks: ["approvals"],
    approvers: { slack: "#access-approvals", teams: "approvals" },
    requester: { slack: "direct" },
    security: { slack: "#security" },
  },
  entitlements: [
    {
      name: "prod-db-reader",
      grants: [{ gcp: { resource: "projects/acme-prod", role: "roles/cloudsql.viewer" } }],
      eligible: { users: ["alice", "bob"] },
      maxDuration: "8h",
      approval: "none",
      notify: { approvers: { slack: "#db-approvals" }, security: { slack: "#db-security" } },
    },
  ],
} as unknown as Policy;
const settings = notifySettings(policy)!;

const grant = (type: GrantEvent["type"], principal: string): GrantEvent => ({
  schemaVersion: 1,
  id: `${type}-${principal}`,
  type,
  time: "2026-12-01T10:00:00.000Z",
  repository: "acme/access",
  request: { name: "alice-db", principal },
  provider: "gcp",
  bindingId: "alice-db/gcp/0",
});
const decision = (type: "approval-needed" | "approved"): LifecycleEvent => ({
  schemaVersion: 1,
  id: type,
  type,
  time: "2026-12-01T10:00:00.000Z",
  repository: "acme/access",
  pr: 7,
  headSha: "a".repeat(40),
  requests: [{ name: "alice-db", entitlement: "prod-db-reader", requester: "alice" }],
  reasons: [],
});
const where = (e: LifecycleEvent) => {
  const r = routeNotification(e, settings);
  return {
    to: r.deliveries.map((d) => `${d.service}:${d.audience}:${d.destination}`).sort(),
    problems: r.problems.map((p) => p.code),
  };
};

describe("notification routes", () => {
  it.each([
    [
      "approval-needed: the entitlement's approvers channel (its override), the requester directly",
      decision("approval-needed"),
      ["slack:approvers:#db-approvals", "slack:requester:U0ALICE"],
    ],
    ["approved: the request's thread", decision("approved"), ["slack:thread:#db-approvals"]],
    [
      "revoked: the requester, found by their principal",
      grant("revoked", "user:alice@example.com"),
      ["slack:requester:U0ALICE"],
    ],
    ["expired: the requester", grant("expired", "user:alice@example.com"), ["slack:requester:U0ALICE"]],
  ])("%s", (_name, event, to) => {
    expect(where(event).to).toEqual(expect.arrayContaining(to));
  });

  it("invariant: break-glass always reaches the policy's security channel, whatever else an entitlement names", () => {
    const e: LifecycleEvent = {
      ...grant("break-glass", "user:alice@example.com"),
      request: { name: "alice-db", entitlement: "prod-db-reader", principal: "user:alice@example.com" },
    };
    expect(where(e).to).toEqual(
      expect.arrayContaining(["slack:security:#security", "slack:security:#db-security"]),
    );
    expect(where(grant("break-glass", "user:alice@example.com")).to).toContain("slack:security:#security");
  });

  it("a requester with no Slack member id is a problem reported, not a message to nowhere", () => {
    expect(where(grant("expired", "user:bob@example.com"))).toEqual({
      to: [],
      problems: ["notification.no-slack-member"],
    });
  });
});
