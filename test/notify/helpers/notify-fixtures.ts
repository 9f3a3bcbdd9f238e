import type { Decision } from "../../../core/evaluate/decision.js";
import { decisionEvent, grantEvent } from "../../../core/events/build-events.js";
import { notifySettings, type NotifySettings } from "../../../core/events/notification-routes.js";
import type { Policy } from "../../../core/types.js";
import type { Waits } from "../../../notify/retry-send.js";

/** A policy with notifications to Slack and Teams, and one entitlement. */
export const POLICY: Policy = {
  principals: {
    alice: { gcp: "user:alice@example.com", slack: "U0ALICE01" },
    bob: { gcp: "user:bob@example.com" },
  },
  policyOwners: [],
  workloads: [],
  entitlements: [
    {
      name: "prod-db-reader",
      description: "Read-only access to production databases",
      grants: [{ gcp: { resource: "projects/acme-prod", role: "roles/cloudsql.viewer" } }],
      eligible: { users: ["alice"] },
      maxDuration: "8h",
      approval: [{ name: "sre", count: 1, from: { teams: ["acme/sre"] } }],
      breakGlass: { maxDuration: "1h" },
    },
  ],
  notifications: {
    teamsWebhooks: ["approvals", "security"],
    approvers: { slack: "C0APPROVALS", teams: "approvals" },
    requester: { slack: "direct" },
    security: { slack: "C0SECURITY", teams: "security" },
  },
};

/** The settings the notifier reads from POLICY. */
export const SETTINGS: NotifySettings = notifySettings(POLICY)!;

/** A pending decision of alice's request in PR 7 (approval from acme/sre or bob). */
export const PENDING: Decision = {
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
      ],
    },
  ],
};

/** The approval-needed event of PENDING. */
export const APPROVAL_NEEDED = decisionEvent({
  now: new Date("2026-12-01T10:00:00Z"),
  repository: "acme/access",
  pr: 7,
  headSha: "a".repeat(40),
  author: "alice",
  decision: PENDING,
});

/** alice's GCP binding granted on the merge of PR 7, until 14:00 UTC. */
export const GRANTED = grantEvent({
  time: "2026-12-01T10:00:00.000Z",
  kind: "grant",
  repository: "acme/access",
  commit: "b".repeat(40),
  bindingId: "alice-prod-db/gcp/0",
  requestId: "alice-prod-db",
  provider: "gcp",
  principal: "user:alice@example.com",
  notAfter: "2026-12-01T14:00:00.000Z",
  pr: 7,
});

/** Waits that take no time: every sleep is recorded and moves a fake clock on. */
export function fakeWaits(): Waits & { slept: number[] } {
  let now = Date.parse("2026-12-01T10:00:00Z");
  const slept: number[] = [];
  return {
    slept,
    now: () => new Date(now),
    sleep: async (ms) => {
      slept.push(ms);
      now += ms;
    },
  };
}

/** The review page of a pull request on github.com. */
export const reviewUrl = (repository: string, pr: number) =>
  `https://github.com/${repository}/pull/${pr}/files`;
