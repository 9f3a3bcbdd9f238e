import type { BotServer } from "../../bot/server.js";
import { DEMO_TEAMS, DEMO_USERS, exampleBase } from "../../cli/demo/grants-world.js";
import { startSimBot } from "../../cli/demo/start-sim-bot.js";
import type { LifecycleEvent } from "../../core/events/lifecycle-event.js";
import { createChatSim, type ChatSim } from "@jitops/sim/chat";
import { createGitHubSim, type GitHubSim } from "@jitops/sim/github";
import { expectLifecycleEvent } from "../core/events/lifecycle-schema.js";
import { ALICE_PROD_DB, NOW, SECRET } from "./helpers/example-org.js";

// The real bot on the embedded GitHub, with Slack and Teams on the chat simulator: a request's
// decisions reach the approvers' channel as one thread, and each send is an audited event.

describe("notifications from the running bot (sim/github, sim/chat)", () => {
  let github: GitHubSim;
  let chat: ChatSim;
  let bot: BotServer;
  const events: LifecycleEvent[] = [];

  beforeAll(async () => {
    chat = createChatSim({ clock: () => NOW });
    const urls = await chat.start();
    chat.createChannel("access-approvals");
    github = createGitHubSim({ clock: () => NOW });
    github.createOrg("acme", { id: 7890 });
    for (const [login, id] of Object.entries(DEMO_USERS)) github.createUser(login, { id });
    for (const [slug, members] of Object.entries(DEMO_TEAMS)) github.createTeam("acme", slug, members);
    await github.start();
    bot = await startSimBot(github, {
      secret: SECRET,
      retryBaseMs: 1,
      logLevel: "fatal",
      now: () => NOW,
      notifyEnv: {
        SLACK_BOT_TOKEN: chat.slackToken,
        JITOPS_SLACK_API_URL: urls.slackApiUrl,
        JITOPS_TEAMS_WEBHOOK_ACCESS_APPROVALS: chat.createTeamsWebhook("access-approvals"),
      },
    });
    bot.events.subscribe({ name: "test", handle: (e) => void events.push(e) });
    github.createRepo("acme/access", {
      // The example organisation's policies/notifications.yaml sends approvers to #access-approvals.
      files: { ...exampleBase(), "access/requests/.keep": "" },
    });
  });
  afterAll(async () => {
    await github?.stop();
    await bot?.close();
    await chat?.stop();
  });

  it("approval needed, then approved: one Slack thread in the approvers' channel, Teams cards, outcomes audited", async () => {
    const n = github.openPullRequest("acme/access", {
      head: "alice-prod-db",
      author: "alice",
      title: "Access: alice-prod-db",
      files: { "access/requests/alice-prod-db.yaml": ALICE_PROD_DB },
    });
    await github.awaitDeliveries();
    await bot.idle();
    const [root] = chat.slackMessages("#access-approvals");
    expect(root).toBeDefined();
    expect(root!.text).toBe(
      `acme/access#${n}: needs approval: Waiting for approval from acme/sre (review the pull request)`,
    );
    expect(JSON.stringify(root!.blocks)).toContain("alice-prod-db");
    expect(JSON.stringify(root!.blocks)).toContain(`/acme/access/pull/${n}/files`);
    // One card per event: the request opened, then approval needed.
    expect(chat.teamsPosts("access-approvals")).toHaveLength(2);

    github.submitReview("acme/access", n, { user: "bob", state: "APPROVED" });
    await github.awaitDeliveries();
    await bot.idle();
    const thread = chat.slackMessages("#access-approvals");
    // Still one thread: the root was updated in place and the approval replied in it.
    expect(thread.filter((m) => m.threadTs === undefined)).toHaveLength(1);
    expect(thread.filter((m) => m.threadTs === root!.ts).length).toBeGreaterThanOrEqual(1);
    expect(chat.slackMessages("#access-approvals")[0]!.edits).toBeGreaterThanOrEqual(1);

    const types = events.map((e) => e.type);
    expect(types).toEqual(expect.arrayContaining(["approval-needed", "approved", "notification-sent"]));
    expect(types).not.toContain("notification-failed");
    for (const e of events) expectLifecycleEvent(e);
  });
});
