import { notifySubscriber } from "../../../app/notify-subscriber.js";
import { createLifecycleBus } from "../../../app/lifecycle-bus.js";
import type { LifecycleEvent, NotificationEvent } from "../../../core/events/lifecycle-event.js";
import { notifySettings } from "../../../core/events/notification-routes.js";
import { SlackNotifier } from "../../../notify/slack-notifier.js";
import { TeamsNotifier } from "../../../notify/teams-notifier.js";
import { createChatSim, type ChatSim } from "@jitops/sim/chat";
import { expectLifecycleEvent } from "../../core/events/lifecycle-schema.js";
import {
  APPROVAL_NEEDED,
  fakeWaits,
  GRANTED,
  POLICY,
  reviewUrl,
} from "../../notify/helpers/notify-fixtures.js";

// The real notifiers and subscriber, over HTTP, against the recording chat simulator.

let sim: ChatSim;
beforeEach(async () => {
  sim = createChatSim({ clock: () => new Date("2026-12-01T10:00:00Z") });
  await sim.start();
});
afterEach(() => sim.stop());

function world(policy = POLICY) {
  const approvals = sim.createChannel("access-approvals");
  sim.createChannel("security");
  const outcomes: NotificationEvent[] = [];
  const waits = fakeWaits();
  const env = {
    JITOPS_TEAMS_WEBHOOK_APPROVALS: sim.createTeamsWebhook("approvals"),
    JITOPS_TEAMS_WEBHOOK_SECURITY: sim.createTeamsWebhook("security"),
  };
  const settings = notifySettings({
    ...policy,
    notifications: { ...policy.notifications, approvers: { slack: "#access-approvals", teams: "approvals" } },
  });
  const bus = createLifecycleBus({ warn: () => undefined });
  bus.subscribe(
    notifySubscriber({
      settings: async () => settings,
      slack: new SlackNotifier({ token: sim.slackToken, apiUrl: sim.urls.slackApiUrl, waits }),
      teams: new TeamsNotifier({ env, waits }),
      reviewUrl,
      emit: (e) => outcomes.push(e),
      now: () => new Date("2026-12-01T10:00:01Z"),
    }),
  );
  return { bus, outcomes, approvals, waits };
}

describe("chat simulator with the real notifiers", () => {
  it("a request's events: one Slack thread updated in place, a DM to the requester, Teams cards; each outcome audited", async () => {
    const w = world();
    for (const e of [APPROVAL_NEEDED, GRANTED] as LifecycleEvent[]) w.bus.emit(e);
    await w.bus.idle();
    const channel = sim.slackMessages("#access-approvals");
    expect(channel).toHaveLength(2);
    const [root, reply] = channel;
    expect(root!.metadata?.event_payload).toMatchObject({ key: "acme/access#7", status: "Granted" });
    expect(root!.edits).toBe(1);
    expect(reply!.threadTs).toBe(root!.ts);
    expect(sim.slackMessages("U0ALICE01").map((m) => m.text)).toEqual([
      "acme/access#7: needs approval: Waiting for approval from acme/sre, bob (review the pull request)",
    ]);
    expect(sim.teamsPosts("approvals")).toHaveLength(2);
    expect(w.outcomes.map((o) => [o.type, o.about.type, o.service, o.audience, o.destination])).toEqual([
      ["notification-sent", "approval-needed", "slack", "approvers", "#access-approvals"],
      ["notification-sent", "approval-needed", "teams", "approvers", "approvals"],
      ["notification-sent", "approval-needed", "slack", "requester", "U0ALICE01"],
      ["notification-sent", "granted", "slack", "thread", "#access-approvals"],
      ["notification-sent", "granted", "teams", "thread", "approvals"],
    ]);
    w.outcomes.forEach(expectLifecycleEvent);
  });

  it("429 with Retry-After and 500 from the simulator are retried; a dead webhook ends in notification-failed", async () => {
    const w = world();
    sim.failNext({ service: "slack", path: "/api/chat.postMessage", status: 429, retryAfter: 2 });
    sim.failNext({ service: "teams", status: 500, times: 4 });
    w.bus.emit(APPROVAL_NEEDED);
    await w.bus.idle();
    expect(w.waits.slept).toContain(2000);
    expect(sim.slackMessages("#access-approvals")).toHaveLength(1);
    const teams = w.outcomes.find((o) => o.service === "teams")!;
    expect(teams).toMatchObject({
      type: "notification-failed",
      code: "notification.gave-up",
      attempts: 4,
      detail: "the Teams webhook answered HTTP 500",
    });
    expect(JSON.stringify(w.outcomes)).not.toContain("sig=");
    expect(
      sim
        .callLog("slack")
        .filter((c) => c.faulted)
        .map((c) => c.status),
    ).toEqual([429]);
  });

  it("notification.no-slack-member: a direct message to a requester policy gives no Slack id", async () => {
    const w = world({ ...POLICY, principals: { alice: { gcp: "user:alice@example.com" } } });
    w.bus.emit(APPROVAL_NEEDED);
    await w.bus.idle();
    expect(w.outcomes.find((o) => o.audience === "requester")).toMatchObject({
      type: "notification-failed",
      code: "notification.no-slack-member",
      destination: "direct",
      attempts: 0,
      detail: "alice has no slack member id in policy principals, so no direct message can reach them",
    });
  });

  it("invariant: a chat service that is down delays no emitter: emit returns at once", async () => {
    const w = world();
    sim.failNext({ service: "slack", status: 503, times: 100, delayMs: 50 });
    const started = Date.now();
    w.bus.emit(APPROVAL_NEEDED);
    expect(Date.now() - started).toBeLessThan(20);
    await w.bus.idle();
    expect(
      w.outcomes.filter((o) => o.service === "slack").every((o) => o.type === "notification-failed"),
    ).toBe(true);
  });
});
