import nock from "nock";
import { routeNotification } from "../../core/events/notification-routes.js";
import { buildNotice } from "../../core/events/notice.js";
import { SendFailed } from "../../app/send-failed.js";
import { SlackNotifier } from "../../notify/slack-notifier.js";
import { APPROVAL_NEEDED, fakeWaits, GRANTED, reviewUrl, SETTINGS } from "./helpers/notify-fixtures.js";

// The exact Slack Web API calls the notifier makes (form-encoded, as @slack/web-api sends them).

const SLACK = "https://slack.com";
const TOKEN = "xoxb-contract-token";

interface Call {
  method: string;
  auth: string | undefined;
  form: Record<string, string>;
}

/** Records each call's method, bearer and form fields; `answers` per method, in order. */
function slack(calls: Call[], answers: Record<string, [number, unknown, Record<string, string>?][]>) {
  const scope = nock(SLACK).persist();
  scope.post(/\/api\/.*/).reply(function (uri, body) {
    const method = uri.replace("/api/", "");
    calls.push({
      method,
      auth: this.req.headers.authorization as string | undefined,
      form: Object.fromEntries(new URLSearchParams(String(body))),
    });
    const next = answers[method]?.shift();
    if (!next) return [500, { ok: false, error: `unexpected ${method}` }];
    return [next[0], next[1] as object, next[2] ?? {}];
  });
  return scope;
}

function notifier(waits = fakeWaits()) {
  return new SlackNotifier({ token: TOKEN, waits, intervalMs: 1000 });
}

const noticeOf = (event: typeof APPROVAL_NEEDED | typeof GRANTED, audience: string) => {
  const d = routeNotification(event, SETTINGS).deliveries.find(
    (x) => x.service === "slack" && x.audience === audience,
  )!;
  return { d, notice: buildNotice(event, SETTINGS, reviewUrl, d.requester) };
};

afterEach(() => nock.cleanAll());

describe("Slack contract", () => {
  it("a new request: looks for the thread in the channel's history, then posts its first message with metadata", async () => {
    const calls: Call[] = [];
    slack(calls, {
      "conversations.history": [[200, { ok: true, messages: [], has_more: false }]],
      "chat.postMessage": [[200, { ok: true, channel: "C0APPROVALS", ts: "1700000000.000100" }]],
    });
    const { d, notice } = noticeOf(APPROVAL_NEEDED, "approvers");
    expect(await notifier().send(d, notice)).toBe(2);
    expect(calls.map((c) => c.method)).toEqual(["conversations.history", "chat.postMessage"]);
    expect(calls.every((c) => c.auth === `Bearer ${TOKEN}`)).toBe(true);
    expect(calls[0]!.form).toMatchObject({
      channel: "C0APPROVALS",
      limit: "200",
      include_all_metadata: "true",
    });
    const post = calls[1]!.form;
    expect(post.channel).toBe("C0APPROVALS");
    expect(post.thread_ts).toBeUndefined();
    expect(post.unfurl_links).toBe("false");
    expect(post.text).toBe(
      "acme/access#7: needs approval: Waiting for approval from acme/sre, bob (review the pull request)",
    );
    expect(JSON.parse(post.metadata!)).toEqual({
      event_type: "jitops_access_request",
      event_payload: {
        key: "acme/access#7",
        title: "acme/access#7: needs approval",
        status: "Waiting for approval from acme/sre, bob (review the pull request)",
        who: "alice (user:alice@example.com)",
        what: "prod-db-reader (alice-prod-db)",
        where: "gcp projects/acme-prod roles/cloudsql.viewer",
        atMost: "8h",
        reviewUrl: "https://github.com/acme/access/pull/7/files",
      },
    });
    const blocks = JSON.parse(post.blocks!) as {
      type: string;
      fields?: { text: string }[];
      elements?: unknown[];
    }[];
    expect(blocks.map((b) => b.type)).toEqual(["section", "section", "context", "actions"]);
    expect(blocks[1]!.fields!.map((f) => f.text)).toEqual([
      "*Who*\n<@U0ALICE01> alice (user:alice@example.com)",
      "*What*\nprod-db-reader (alice-prod-db)",
      "*Where*\ngcp projects/acme-prod roles/cloudsql.viewer",
      "*Until*\nat most 8h after merge",
    ]);
    expect(blocks[3]!.elements).toEqual([
      {
        type: "button",
        text: { type: "plain_text", text: "Review on GitHub" },
        url: "https://github.com/acme/access/pull/7/files",
        action_id: "jitops-review",
      },
    ]);
  });

  it("invariant: no message carries an approve button; the only action links to the review page", async () => {
    const calls: Call[] = [];
    slack(calls, {
      "conversations.history": [[200, { ok: true, messages: [] }]],
      "chat.postMessage": [[200, { ok: true, channel: "C0APPROVALS", ts: "1.1" }]],
    });
    const { d, notice } = noticeOf(APPROVAL_NEEDED, "approvers");
    await notifier().send(d, notice);
    const blocks = calls[1]!.form.blocks!;
    const actions = (JSON.parse(blocks) as { type: string; elements?: { url?: string }[] }[]).filter(
      (b) => b.type === "actions",
    );
    expect(actions.flatMap((a) => a.elements!).every((e) => e.url?.endsWith("/pull/7/files"))).toBe(true);
    expect(blocks).not.toMatch(/approve"|"style":"primary"|value/i);
  });

  it("a later event: updates the first message in place (chat.update) and replies in its thread once", async () => {
    const calls: Call[] = [];
    const root = {
      ts: "1700000000.000100",
      text: "x",
      metadata: {
        event_type: "jitops_access_request",
        event_payload: {
          key: "acme/access#7",
          title: "acme/access#7: needs approval",
          status: "Waiting",
          who: "alice (user:alice@example.com)",
          what: "prod-db-reader (alice-prod-db)",
          where: "gcp projects/acme-prod roles/cloudsql.viewer",
          atMost: "8h",
        },
      },
    };
    const other = {
      ts: "1700000000.000050",
      metadata: { event_type: "jitops_access_request", event_payload: { key: "acme/access#70" } },
    };
    slack(calls, {
      "conversations.history": [
        [200, { ok: true, messages: [root, other] }],
        [200, { ok: true, messages: [root] }],
      ],
      "chat.update": [
        [200, { ok: true, channel: "C0APPROVALS", ts: root.ts }],
        [200, { ok: true }],
      ],
      "conversations.replies": [
        [200, { ok: true, messages: [root] }],
        [
          200,
          {
            ok: true,
            messages: [
              root,
              {
                ts: "2.2",
                metadata: { event_type: "jitops_lifecycle_event", event_payload: { event: GRANTED.id } },
              },
            ],
          },
        ],
      ],
      "chat.postMessage": [[200, { ok: true, channel: "C0APPROVALS", ts: "1700000001.000200" }]],
    });
    const { d, notice } = noticeOf(GRANTED, "thread");
    const waits = fakeWaits();
    const n = notifier(waits);
    expect(await n.send(d, notice)).toBe(4);
    expect(calls.map((c) => c.method)).toEqual([
      "conversations.history",
      "chat.update",
      "conversations.replies",
      "chat.postMessage",
    ]);
    const update = calls[1]!.form;
    expect(update).toMatchObject({ channel: "C0APPROVALS", ts: root.ts });
    const state = JSON.parse(update.metadata!).event_payload as Record<string, string>;
    expect(state).toMatchObject({
      key: "acme/access#7",
      title: "acme/access#7: access granted",
      status: "Granted",
      what: "prod-db-reader (alice-prod-db)",
      until: "2026-12-01T14:00:00.000Z",
    });
    expect(state.atMost).toBeUndefined();
    expect(update.blocks).toContain("<!date^1796133600^{date_short_pretty} {time}|2026-12-01T14:00:00Z>");
    const reply = calls[3]!.form;
    expect(reply).toMatchObject({ channel: "C0APPROVALS", thread_ts: root.ts });
    expect(JSON.parse(reply.metadata!)).toEqual({
      event_type: "jitops_lifecycle_event",
      event_payload: { key: "acme/access#7", event: GRANTED.id, type: "granted" },
    });
    // The same event again (a redelivery on another replica): the thread already has its reply.
    calls.length = 0;
    await n.send(d, notice);
    expect(calls.map((c) => c.method)).toEqual([
      "conversations.history",
      "chat.update",
      "conversations.replies",
    ]);
    // Writes to one channel are kept a second apart: update, reply, then the repeated update.
    expect(waits.slept).toEqual([1000, 1000]);
  });

  it("a channel by #name is looked up once with conversations.list", async () => {
    const calls: Call[] = [];
    slack(calls, {
      "conversations.list": [
        [
          200,
          {
            ok: true,
            channels: [{ id: "C0OTHER", name: "other" }],
            response_metadata: { next_cursor: "p2" },
          },
        ],
        [
          200,
          {
            ok: true,
            channels: [{ id: "C0NAMED", name: "access-approvals" }],
            response_metadata: { next_cursor: "" },
          },
        ],
      ],
      "conversations.history": [[200, { ok: true, messages: [] }]],
      "chat.postMessage": [[200, { ok: true, channel: "C0NAMED", ts: "1.1" }]],
    });
    const { d, notice } = noticeOf(APPROVAL_NEEDED, "approvers");
    await notifier().send({ ...d, destination: "#access-approvals" }, notice);
    expect(calls.map((c) => [c.method, c.form.cursor ?? c.form.channel ?? ""])).toEqual([
      ["conversations.list", ""],
      ["conversations.list", "p2"],
      ["conversations.history", "C0NAMED"],
      ["chat.postMessage", "#access-approvals"],
    ]);
    expect(calls[0]!.form).toMatchObject({
      types: "public_channel,private_channel",
      exclude_archived: "true",
    });
  });

  it("429: waits exactly the Retry-After, then sends again", async () => {
    const calls: Call[] = [];
    slack(calls, {
      "chat.postMessage": [
        [429, { ok: false, error: "ratelimited" }, { "retry-after": "7" }],
        [200, { ok: true, channel: "D0ALICE", ts: "1.1" }],
      ],
    });
    const waits = fakeWaits();
    const { d, notice } = noticeOf(APPROVAL_NEEDED, "requester");
    expect(d.destination).toBe("U0ALICE01");
    expect(await notifier(waits).send(d, notice)).toBe(2);
    expect(waits.slept).toEqual([7000]);
    expect(calls.map((c) => c.method)).toEqual(["chat.postMessage", "chat.postMessage"]);
    expect(calls[1]!.form.channel).toBe("U0ALICE01");
  });

  it("5xx: retried with back-off (1 s, 2 s, 4 s), then given up after 4 attempts", async () => {
    const calls: Call[] = [];
    slack(calls, { "chat.postMessage": Array.from({ length: 4 }, () => [503, "busy"] as [number, unknown]) });
    const waits = fakeWaits();
    const { d, notice } = noticeOf(APPROVAL_NEEDED, "requester");
    const err = (await notifier(waits)
      .send(d, notice)
      .catch((e: unknown) => e)) as SendFailed;
    expect(err).toBeInstanceOf(SendFailed);
    expect({ attempts: err.attempts, gaveUp: err.gaveUp }).toEqual({ attempts: 4, gaveUp: true });
    expect(waits.slept).toEqual([1000, 2000, 4000]);
  });

  it("a refusal (channel_not_found) is not retried", async () => {
    const calls: Call[] = [];
    slack(calls, { "chat.postMessage": [[200, { ok: false, error: "channel_not_found" }]] });
    const { d, notice } = noticeOf(APPROVAL_NEEDED, "requester");
    const err = (await notifier()
      .send(d, notice)
      .catch((e: unknown) => e)) as SendFailed;
    expect({ attempts: err.attempts, gaveUp: err.gaveUp }).toEqual({ attempts: 1, gaveUp: false });
    expect(calls).toHaveLength(1);
  });
});
