import { sign } from "@octokit/webhooks-methods";
import type { BotServer } from "../../bot/server.js";
import { startSimBot } from "../../cli/demo/start-sim-bot.js";
import type { AuditEvent } from "../../core/audit.js";
import { createCloudSim } from "@jitops/sim/cloud";
import { kubeConfig } from "../sim/cloud/helpers/sdk-clients.js";
import { ALICE_PROD_DB, CAROL_DB_ADMIN, NOW, SECRET, startWorld, type World } from "./helpers/example-org.js";

// The bot within GitHub's API budget, recovering what GitHub would not resend, and passes that run
// on one replica: counted calls, not times.

const until = async (cond: () => boolean | Promise<boolean>, what: string, ms = 15_000) => {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
};

/** The value of one series in a bot's /metrics text (0 when absent). */
const metric = async (bot: BotServer, series: string): Promise<number> => {
  const line = (await bot.metrics.render()).split("\n").find((l) => l.startsWith(`${series} `));
  return line ? Number(line.slice(series.length + 1)) : 0;
};

describe("API budget, coalescing, recovery and the lease (the real bot on sim/github)", () => {
  let w: World;
  beforeAll(async () => {
    w = await startWorld();
  });
  afterAll(async () => {
    await w.stop();
  });
  const settle = () => w.sim.awaitDeliveries();

  test("a reconcile pass over unchanged open pull requests costs no counted call and writes nothing", async () => {
    const repo = w.repo("reconcile-budget");
    const prs = [
      w.openRequest(repo, "alice-prod-db", ALICE_PROD_DB),
      w.openRequest(repo, "carol-prod-db-admin", CAROL_DB_ADMIN, "carol"),
      w.openRequest(repo, "alice-prod-db-2", ALICE_PROD_DB.replace(/alice-prod-db/g, "alice-prod-db-2")),
    ];
    await settle();
    await w.bot.reconcileAll(); // every answer is now kept with its ETag
    const skipped = await metric(w.bot, 'jitops_github_writes_skipped_total{kind="check-run"}');
    w.sim.resetApiCalls();
    await w.bot.reconcileAll();
    const calls = w.sim.apiCallLog();
    expect(calls.length).toBeGreaterThan(0);
    expect(calls.filter((c) => c.status !== 304)).toEqual([]);
    expect(w.sim.countedApiCalls()).toBe(0);
    // Every PR of every repository was decided again, and none of its check runs rewritten.
    expect(
      await metric(w.bot, 'jitops_github_writes_skipped_total{kind="check-run"}'),
    ).toBeGreaterThanOrEqual(skipped + prs.length);
    expect(
      await metric(w.bot, 'jitops_github_conditional_requests_total{result="not-modified"}'),
    ).toBeGreaterThan(0);
    for (const { head } of prs) expect(w.checks(repo, head)).toHaveLength(1);
  });

  test("steady state: one review event costs at most 2 counted GitHub API calls, and the PR is never fetched", async () => {
    const repo = w.repo("review-budget");
    const { n, head } = w.openRequest(repo, "carol-prod-db-admin", CAROL_DB_ADMIN, "carol");
    await settle();
    w.sim.resetApiCalls();
    w.sim.submitReview(repo, n, { user: "bob", state: "APPROVED" });
    await settle();
    expect(w.checks(repo, head).map((c) => c.conclusion)).toEqual(["success"]);
    expect(w.sim.countedApiCalls()).toBeLessThanOrEqual(2);
    expect(w.sim.apiCallLog().map((c) => `${c.method} ${c.route}`)).not.toContain(
      "GET /repos/{owner}/{repo}/pulls/{pull_number}",
    );
  });

  test("a burst of deliveries for one pull request waiting together is decided once, at the latest head", async () => {
    const audit: AuditEvent[] = [];
    let release: () => void = () => undefined;
    const held = new Promise<void>((r) => (release = r));
    let first = true;
    const bot = await startSimBot(w.sim, {
      secret: SECRET,
      logLevel: "fatal",
      retryBaseMs: 1,
      now: () => NOW,
      concurrency: 1,
      audit: {
        // The first decision waits here, so the deliveries after it queue up behind it.
        write: async (e) => {
          if (first) {
            first = false;
            await held;
          }
          audit.push(e);
        },
      },
    });
    try {
      const repo = w.repo("burst");
      const { n } = w.openRequest(repo, "carol-prod-db-admin", CAROL_DB_ADMIN, "carol");
      await until(() => !first, "the first decision to be held");
      const c2 = w.sim.pushToPullRequest(repo, n, {
        files: { "access/requests/carol-prod-db-admin.yaml": CAROL_DB_ADMIN.replace("1h", "2h") },
        author: "carol",
      });
      w.sim.submitReview(repo, n, { user: "dave", state: "APPROVED" });
      w.sim.submitReview(repo, n, { user: "bob", state: "APPROVED" });
      const burst = w.sim
        .deliveries()
        .filter((d) => ["pull_request", "pull_request_review"].includes(d.event) && d.body.includes(repo))
        .slice(1);
      expect(burst.map((d) => `${d.event}.${d.action}`)).toEqual([
        "pull_request.synchronize",
        "pull_request_review.submitted",
        "pull_request_review.submitted",
      ]);
      await until(
        () =>
          w.sim.deliveries().filter((d) => burst.some((b) => b.id === d.id) && d.status === "delivered")
            .length === 3,
        "the burst to be queued",
      );
      release();
      await settle();
      // The opened delivery, then one decision for the three that waited: the last one's, at c2.
      expect(audit.map((e) => [e.deliveryId, e.headSha, e.decision])).toEqual([
        [expect.any(String), expect.any(String), "pending"],
        [burst[2]!.id, c2, "approved"],
      ]);
      expect(
        await metric(bot, 'jitops_webhook_deliveries_total{event="pull_request",outcome="coalesced"}'),
      ).toBe(1);
      expect(
        await metric(bot, 'jitops_webhook_deliveries_total{event="pull_request_review",outcome="coalesced"}'),
      ).toBe(1);
      expect(w.checks(repo, c2).map((c) => c.conclusion)).toEqual(["success"]);
    } finally {
      release();
      await bot.close();
      w.sim.setWebhookTarget({ url: w.bot.webhookUrl, secret: SECRET, idle: () => w.bot.idle() });
    }
  });

  test("a delivery for an installation the App cannot get a token for is refused 503 webhook.installation-unavailable, not acknowledged", async () => {
    const repo = w.repo("unknown-installation");
    w.openRequest(repo, "alice-prod-db", ALICE_PROD_DB);
    await settle();
    const opened = w.sim.deliveries().find((d) => d.event === "pull_request" && d.body.includes(repo))!;
    const body = JSON.stringify({ ...JSON.parse(opened.body), installation: { id: 424242 } });
    const before = w.audit.length;
    w.sim.resetApiCalls();
    const res = await fetch(w.bot.webhookUrl, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "x-github-event": "pull_request",
        "x-github-delivery": "unknown-installation-1",
        "x-hub-signature-256": await sign(SECRET, body),
      },
      body,
    });
    expect(res.status).toBe(503);
    const answer = (await res.json()) as { ok: boolean; code: string; message: string };
    expect(answer).toMatchObject({ ok: false, code: "webhook.installation-unavailable" });
    expect(answer.message).toBe(
      "the App cannot get a token for installation 424242 (HTTP 404: Not Found - https://docs.github.com/rest); redeliver it once the App can act there",
    );
    expect(
      await metric(
        w.bot,
        'jitops_webhook_rejected_total{status="503",code="webhook.installation-unavailable"}',
      ),
    ).toBe(1);
    await w.bot.idle();
    // Only the token was asked for: nothing was read or written for the pull request.
    expect(w.sim.apiCallLog().map((c) => `${c.method} ${c.route}`)).toEqual([
      "POST /app/installations/{installation_id}/access_tokens",
    ]);
    expect(w.audit.length).toBe(before);
  });

  test("a delivery that never got a successful answer is redelivered by the recovery pass and then handled", async () => {
    const repo = w.repo("recovery");
    // The bot is unreachable when the PR is opened: GitHub records the delivery as failed.
    w.sim.setWebhookTarget({ url: "http://127.0.0.1:9/api/github/webhooks", secret: SECRET });
    const { head } = w.openRequest(repo, "alice-prod-db", ALICE_PROD_DB);
    await settle();
    const lost = w.sim.deliveries().find((d) => d.event === "pull_request" && d.body.includes(repo))!;
    expect(lost.status).toBe("failed");
    w.sim.setWebhookTarget({ url: w.bot.webhookUrl, secret: SECRET, idle: () => w.bot.idle() });
    expect(w.checks(repo, head)).toEqual([]);

    const requested = await metric(w.bot, 'jitops_delivery_redeliveries_total{outcome="requested"}');
    await w.bot.recoverDeliveries();
    await settle();
    const again = w.sim.deliveries().filter((d) => d.id === lost.id && d.redelivery);
    expect(again.map((d) => [d.status, d.statusCode])).toEqual([["delivered", 202]]);
    expect(w.checks(repo, head).map((c) => c.conclusion)).toEqual(["action_required"]);
    expect(w.audit.filter((e) => e.deliveryId === lost.id)).toHaveLength(1);
    expect(await metric(w.bot, 'jitops_delivery_redeliveries_total{outcome="requested"}')).toBeGreaterThan(
      requested,
    );
    // Answered now: the next pass asks for nothing more of it.
    await w.bot.recoverDeliveries();
    await settle();
    expect(w.sim.deliveries().filter((d) => d.id === lost.id && d.redelivery)).toHaveLength(1);
  });

  test("on start the bot runs a reconcile and a sweep pass, so a review whose delivery was lost is decided without waiting for the timer", async () => {
    const repo = w.repo("startup-pass");
    const { n, head } = w.openRequest(repo, "carol-prod-db-admin", CAROL_DB_ADMIN, "carol");
    await settle();
    expect(w.checks(repo, head).map((c) => c.conclusion)).toEqual(["action_required"]);
    w.sim.setWebhookTarget(null);
    w.sim.submitReview(repo, n, { user: "bob", state: "APPROVED" });
    await settle();
    const bot = await startSimBot(w.sim, {
      secret: SECRET,
      logLevel: "fatal",
      retryBaseMs: 1,
      now: () => NOW,
      reconcileEveryMs: 0,
      sweepEveryMs: 0,
      startupPassDelayMs: 0,
    });
    try {
      await until(() => w.checks(repo, head)[0]?.conclusion === "success", "the startup reconcile");
      await until(
        async () =>
          (await metric(bot, 'jitops_periodic_passes_total{pass="sweep",outcome="succeeded"}')) === 1,
        "the startup sweep",
      );
      // The check is written before the pass ends: wait for the pass itself, not only its effect.
      await until(
        async () =>
          (await metric(bot, 'jitops_periodic_passes_total{pass="reconcile",outcome="succeeded"}')) === 1,
        "the startup reconcile to finish",
      );
      expect(w.checks(repo, head)).toHaveLength(1);
    } finally {
      await bot.close();
      w.sim.setWebhookTarget({ url: w.bot.webhookUrl, secret: SECRET, idle: () => w.bot.idle() });
    }
  });

  test("a periodic reconcile leaves a head without a check run to its delivery for one pass, then decides it", async () => {
    const repo = w.repo("deferred-create");
    w.sim.setWebhookTarget(null);
    const { head } = w.openRequest(repo, "alice-prod-db", ALICE_PROD_DB);
    await settle();
    const bot = await startSimBot(w.sim, {
      secret: SECRET,
      logLevel: "fatal",
      retryBaseMs: 1,
      now: () => NOW,
      reconcileEveryMs: 0,
      sweepEveryMs: 0,
      startupPassDelayMs: 0,
    });
    try {
      // A direct pass (a person or test asking) creates at once; a timer's first sighting does not.
      await until(
        async () =>
          (await metric(bot, 'jitops_periodic_passes_total{pass="reconcile",outcome="succeeded"}')) >= 1,
        "the startup reconcile",
      );
      expect(w.checks(repo, head)).toEqual([]);
      await bot.tickPass("reconcile");
      expect(w.checks(repo, head).map((c) => c.conclusion)).toEqual(["action_required"]);
    } finally {
      await bot.close();
      w.sim.setWebhookTarget({ url: w.bot.webhookUrl, secret: SECRET, idle: () => w.bot.idle() });
    }
  });

  test("invariant: with a Lease, periodic passes run on one replica at a time", async () => {
    const cloud = createCloudSim();
    const urls = await cloud.start();
    const replicas: BotServer[] = [];
    try {
      for (const identity of ["bot-a", "bot-b"])
        replicas.push(
          await startSimBot(w.sim, {
            secret: SECRET,
            logLevel: "fatal",
            retryBaseMs: 1,
            now: () => NOW,
            // 1 s passes make a 3 s lease: a holder stalled longer than that (a loaded machine)
            // rightly loses it, which a 50 ms interval (a 1 s lease) let happen under load.
            reconcileEveryMs: 1000,
            sweepEveryMs: 1000,
            lease: { namespace: "jitops", name: "jitops-periodic", identity, kubeConfig: kubeConfig(urls) },
          }),
        );
      const ran = (b: BotServer) =>
        metric(b, 'jitops_periodic_passes_total{pass="reconcile",outcome="succeeded"}');
      const skipped = (b: BotServer) =>
        metric(b, 'jitops_periodic_passes_total{pass="reconcile",outcome="not-holder"}');
      await until(async () => {
        const [a, b] = [await ran(replicas[0]!), await ran(replicas[1]!)];
        const [sa, sb] = [await skipped(replicas[0]!), await skipped(replicas[1]!)];
        return (a >= 3 && sb >= 3) || (b >= 3 && sa >= 3);
      }, "both replicas' timers to fire several times");
      const holder = (await ran(replicas[0]!)) >= 3 ? 0 : 1;
      const other = replicas[1 - holder]!;
      expect(await ran(other)).toBe(0);
      expect(await metric(replicas[holder]!, "jitops_lease_held")).toBe(1);
      expect(await metric(other, "jitops_lease_held")).toBe(0);
      expect(cloud.k8sLeases().map((l) => l.spec.holderIdentity)).toEqual([holder === 0 ? "bot-a" : "bot-b"]);
    } finally {
      for (const b of replicas) await b.close();
      await cloud.stop();
      w.sim.setWebhookTarget({ url: w.bot.webhookUrl, secret: SECRET, idle: () => w.bot.idle() });
    }
  });
});
