import type { LifecycleEvent } from "../../core/events/lifecycle-event.js";
import { expectLifecycleEvent } from "../core/events/lifecycle-schema.js";
import { spawn } from "node:child_process";
import { generateKeyPairSync, randomUUID } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { build } from "esbuild";
import { createBotServer, type BotServer } from "../../bot/server.js";
import { DEMO_TEAMS, DEMO_USERS, exampleBase } from "../../cli/demo/grants-world.js";
import { startSimBot } from "../../cli/demo/start-sim-bot.js";
import type { AuditEvent } from "../../core/audit.js";
import { createGitHubSim, type GitHubSim } from "@jitops/sim/github";
import { ALICE_PROD_DB, NOW, SECRET } from "./helpers/example-org.js";

// Operating the bot: health, readiness, metrics, graceful shutdown, and the real entry point in its own process.

const pem = () =>
  generateKeyPairSync("rsa", { modulusLength: 2048 })
    .privateKey.export({ type: "pkcs1", format: "pem" })
    .toString();

async function seededSim(): Promise<GitHubSim> {
  const sim = createGitHubSim({ clock: () => NOW });
  sim.createOrg("acme", { id: 7890 });
  for (const [login, id] of Object.entries(DEMO_USERS)) sim.createUser(login, { id });
  for (const [slug, members] of Object.entries(DEMO_TEAMS)) sim.createTeam("acme", slug, members);
  sim.createRepo("acme/access", { files: { ...exampleBase(), "access/requests/.keep": "" } });
  await sim.start();
  return sim;
}

const getJson = async (url: string) => {
  const res = await fetch(url);
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
};

const until = async (cond: () => boolean | Promise<boolean>, ms = 10_000) => {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error("timed out waiting");
    await new Promise((r) => setTimeout(r, 10));
  }
};

describe("health and readiness", () => {
  let sim: GitHubSim;
  beforeAll(async () => {
    sim = await seededSim();
  });
  afterAll(async () => {
    await sim.stop();
  });

  test("with a wrong App id the bot is live but not ready, says why, and keeps asking", async () => {
    const bot = await createBotServer({
      appId: sim.appInfo.id + 1,
      privateKey: pem(),
      secret: SECRET,
      baseUrl: sim.url,
      port: 0,
      logLevel: "fatal",
      throttle: false,
      readinessRetryMs: 20,
    });
    try {
      expect(await getJson(`${bot.url}/healthz`)).toEqual({ status: 200, body: { status: "ok" } });
      await until(() => sim.apiCallLog().filter((c) => c.route === "/app" && c.status === 401).length >= 2);
      const ready = await getJson(`${bot.url}/readyz`);
      expect(ready.status).toBe(503);
      expect(ready.body).toMatchObject({ ready: false, draining: false, checks: { github: { ok: false } } });
      expect((ready.body.reasons as string[])[0]).toMatch(
        /^GitHub did not confirm the App \(GET \/app with the App's JWT: A JSON web token could not be decoded.*\); check APP_ID, the private key and GITHUB_API_URL; retrying in \d+ ms$/,
      );
    } finally {
      await bot.close();
    }
  });

  test("with the right App id it becomes ready, and is not ready from the moment it drains", async () => {
    const audit: AuditEvent[] = [];
    let release: () => void = () => undefined;
    const held = new Promise<void>((r) => (release = r));
    const bot = await startSimBot(sim, {
      secret: SECRET,
      logLevel: "fatal",
      retryBaseMs: 1,
      now: () => NOW,
      audit: {
        write: async (e) => {
          await held;
          audit.push(e);
        },
      },
    });
    await until(async () => (await getJson(`${bot.url}/readyz`)).status === 200);
    expect((await getJson(`${bot.url}/readyz`)).body).toMatchObject({
      ready: true,
      reasons: [],
      checks: { github: { ok: true }, providers: { ok: true, detail: "no providers configured" } },
    });

    // A delivery in flight (its decision waits in the audit write) when shutdown begins.
    const n = sim.openPullRequest("acme/access", {
      head: "drain",
      author: "alice",
      title: "Access",
      files: { "access/requests/alice-prod-db.yaml": ALICE_PROD_DB },
    });
    const head = sim.getPullRequest("acme/access", n).headSha;
    await until(() => sim.getCheckRuns("acme/access", head).length > 0);
    const stopping = bot.shutdown(10_000);
    expect(bot.readiness.status()).toMatchObject({
      ready: false,
      draining: true,
      reasons: ["draining: the bot is shutting down"],
    });
    // The listener is closed: nothing new gets in.
    await until(() =>
      fetch(`${bot.url}/healthz`).then(
        () => false,
        () => true,
      ),
    );
    expect(audit).toEqual([]);
    release();
    expect(await stopping).toEqual({ drained: true });
    expect(audit).toEqual([expect.objectContaining({ pr: n, headSha: head })]);
    sim.setWebhookTarget(null);
  });

  test("shutdown gives up on work still running after the grace period", async () => {
    const bot = await startSimBot(sim, {
      secret: SECRET,
      logLevel: "fatal",
      retryBaseMs: 1,
      now: () => NOW,
      audit: { write: () => new Promise<void>(() => undefined) },
    });
    const n = sim.openPullRequest("acme/access", {
      head: "stuck",
      author: "alice",
      title: "Access",
      // Other content than the PR above: the same files at the same simulated time would be the same commit.
      files: { "access/requests/alice-prod-db.yaml": ALICE_PROD_DB.replace('"4h"', '"2h"') },
    });
    const head = sim.getPullRequest("acme/access", n).headSha;
    await until(() => sim.getCheckRuns("acme/access", head).length > 0);
    expect(await bot.shutdown(50)).toEqual({ drained: false });
    sim.setWebhookTarget(null);
  });
});

describe("metrics", () => {
  let sim: GitHubSim;
  let bot: BotServer;
  beforeAll(async () => {
    sim = await seededSim();
    bot = await startSimBot(sim, { secret: SECRET, logLevel: "fatal", retryBaseMs: 1, now: () => NOW });
  });
  afterAll(async () => {
    await sim.stop();
    await bot.close();
  });

  test("/metrics names deliveries, latency, API calls, rate limit, grants, passes and rejections after one decision", async () => {
    sim.openPullRequest("acme/access", {
      head: "metrics",
      author: "alice",
      title: "Access",
      files: { "access/requests/alice-prod-db.yaml": ALICE_PROD_DB },
    });
    await sim.awaitDeliveries();
    await bot.reconcileAll();
    await bot.sweepAll();
    const refused = await fetch(bot.webhookUrl, {
      method: "POST",
      headers: {
        "x-github-event": "ping",
        "x-github-delivery": randomUUID(),
        "x-hub-signature-256": "sha256=00",
      },
      body: "{}",
    });
    expect(refused.status).toBe(401);

    const res = await fetch(`${bot.url}/metrics`);
    expect(res.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await res.text();
    const installation = sim.appInfo.installationId;
    for (const line of [
      'jitops_webhook_deliveries_total{event="pull_request",outcome="queued"} 1',
      'jitops_webhook_deliveries_total{event="pull_request",outcome="succeeded"} 1',
      "jitops_webhook_to_check_run_seconds_count 1",
      `jitops_github_api_calls_total{installation="${installation}",status="200"}`,
      'jitops_github_api_calls_total{installation="app",status="200"}',
      `jitops_github_rate_limit_remaining{installation="${installation}"}`,
      "# TYPE jitops_grants_total counter",
      'jitops_reconcile_duration_seconds_count{outcome="succeeded"} 1',
      'jitops_sweep_duration_seconds_count{outcome="succeeded"} 1',
      "jitops_seconds_since_last_reconcile ",
      'jitops_webhook_rejected_total{status="401",code="webhook.bad-signature"} 1',
      "process_resident_memory_bytes ",
    ])
      expect(text).toContain(line);
    expect(Number(/^jitops_seconds_since_last_reconcile (\S+)$/m.exec(text)?.[1])).toBeLessThan(5);
  });

  test("two bots in one process keep their own series", async () => {
    const other = await startSimBot(sim, { secret: SECRET, logLevel: "fatal", now: () => NOW });
    try {
      expect(await other.metrics.render()).not.toContain('outcome="succeeded"');
    } finally {
      await other.close();
      sim.setWebhookTarget({ url: bot.webhookUrl, secret: SECRET, idle: () => bot.idle() });
    }
  });
});

describe("the bot's entry point in its own process", () => {
  // Bundled like scripts/build.mjs bundles dist/bot.js, under node_modules so its external packages resolve.
  const cache = join(process.cwd(), "node_modules", ".cache");
  let dir: string;
  let entry: string;
  let sim: GitHubSim;

  beforeAll(async () => {
    mkdirSync(cache, { recursive: true });
    dir = mkdtempSync(join(cache, "jitops-bot-test-"));
    entry = join(dir, "bot.mjs");
    await build({
      entryPoints: ["bot/main.ts"],
      outfile: entry,
      bundle: true,
      format: "esm",
      platform: "node",
      target: "node20",
      logLevel: "error",
      banner: {
        js: "import { createRequire as __r } from 'node:module'; const require = __r(import.meta.url);",
      },
      external: [
        "@google-cloud/*",
        "google-gax",
        "google-auth-library",
        "@azure/*",
        "@kubernetes/client-node",
        "probot",
        "prom-client",
      ],
    });
    sim = await seededSim();
  }, 60_000);
  afterAll(async () => {
    await sim.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  interface Child {
    lines: () => Record<string, unknown>[];
    stderr: () => string;
    exited: Promise<number | null>;
    kill: (signal: NodeJS.Signals) => void;
  }
  const run = (env: Record<string, string>): Child => {
    const child = spawn(process.execPath, [entry], {
      env: { PATH: process.env.PATH ?? "", ...env },
      cwd: dir,
    });
    let out = "";
    let err = "";
    child.stdout.on("data", (c: Buffer) => (out += c.toString()));
    child.stderr.on("data", (c: Buffer) => (err += c.toString()));
    return {
      lines: () =>
        out
          .split("\n")
          .filter((l) => l.startsWith("{"))
          .map((l) => JSON.parse(l) as Record<string, unknown>),
      stderr: () => err,
      exited: new Promise((resolve) => child.on("exit", (code) => resolve(code))),
      kill: (signal) => child.kill(signal),
    };
  };

  test("an unparsable private key is refused at start with its code and a clear message, exit 2", async () => {
    const child = run({ APP_ID: "1", PRIVATE_KEY: "not a key", WEBHOOK_SECRET: SECRET });
    expect(await child.exited).toBe(2);
    expect(child.stderr()).toMatch(
      /^bot\.private-key-invalid: jitops bot: PRIVATE_KEY is not a usable PEM private key \(.+\); refusing to start\n$/,
    );
  });

  test("reads mounted secrets, logs JSON lines naming the delivery, and on SIGTERM finishes the delivery in flight and exits 0", async () => {
    const keyPath = join(dir, "key.pem");
    const secretPath = join(dir, "secret");
    const auditPath = join(dir, "audit.jsonl");
    writeFileSync(keyPath, pem());
    writeFileSync(secretPath, `${SECRET}\n`);
    const child = run({
      APP_ID: String(sim.appInfo.id),
      PRIVATE_KEY_PATH: keyPath,
      WEBHOOK_SECRET_FILE: secretPath,
      GITHUB_API_URL: sim.url,
      PORT: "0",
      HOST: "127.0.0.1",
      LOG_LEVEL: "info",
      LOG_FORMAT: "json",
      JITOPS_AUDIT_FILE: auditPath,
      RECONCILE_INTERVAL_MS: "0",
      SWEEP_INTERVAL_MS: "0",
      SHUTDOWN_GRACE_MS: "15000",
    });
    try {
      await until(
        () => child.lines().some((l) => String(l.msg).includes("listening for webhooks at")),
        20_000,
      );
      const url = /at (\S+)$/.exec(
        String(child.lines().find((l) => String(l.msg).includes("listening"))!.msg),
      )![1]!;
      await until(
        () => child.lines().some((l) => l.msg === "jitops: GitHub confirmed the App; ready"),
        20_000,
      );
      sim.setWebhookTarget({ url, secret: SECRET });

      // The push of a new commit is logged with its delivery, repository and head.
      const sha = sim.commit("acme/access", "main", {
        author: { name: "Alice", email: "alice@acme.example" },
        pusher: "alice",
        files: { "README.md": "hello" },
      });
      await sim.awaitDeliveries();
      await until(() => child.lines().some((l) => String(l.msg).includes("no cloud providers")));
      const pushLine = child.lines().find((l) => String(l.msg).includes("no cloud providers"))!;
      expect(pushLine).toMatchObject({ level: "warn", repository: "acme/access", headSha: sha });
      expect(pushLine.deliveryId).toBe(sim.deliveries().find((d) => d.event === "push")!.id);

      // A decision in flight: its first read fails once and is retried a second later.
      sim.failNext({ method: "GET", path: "/repos/{owner}/{repo}/pulls/{pull_number}/reviews", status: 502 });
      const n = sim.openPullRequest("acme/access", {
        head: "sigterm",
        author: "alice",
        title: "Access",
        files: { "access/requests/alice-prod-db.yaml": ALICE_PROD_DB.replace('"4h"', '"1h"') },
      });
      const head = sim.getPullRequest("acme/access", n).headSha;
      await until(() => sim.apiCallLog().some((c) => c.status === 502));
      expect(sim.getCheckRuns("acme/access", head)).toEqual([]);
      child.kill("SIGTERM");
      expect(await child.exited).toBe(0);
      expect(sim.getCheckRuns("acme/access", head).map((c) => c.name)).toEqual(["jitops/approval"]);
      const audit = readFileSync(auditPath, "utf8")
        .trim()
        .split("\n")
        .map((l) => JSON.parse(l) as AuditEvent | LifecycleEvent);
      // The decision's audit record, and its lifecycle event (the audit stream subscribes to the bus).
      expect(audit).toEqual([
        expect.objectContaining({ kind: "decision", pr: n, headSha: head }),
        expect.objectContaining({ schemaVersion: 1, type: "request-opened", pr: n, headSha: head }),
        expect.objectContaining({ schemaVersion: 1, type: "approval-needed", pr: n, headSha: head }),
      ]);
      expectLifecycleEvent(audit[1]);
      expectLifecycleEvent(audit[2]);
      expect(child.lines().map((l) => l.msg)).toEqual(
        expect.arrayContaining([
          "jitops: SIGTERM: not ready, no longer listening; finishing in-flight work (up to 15000 ms)",
          "jitops: in-flight work finished; exiting",
        ]),
      );
      // Logs never carry a payload or a signature.
      const all = child.lines().map((l) => JSON.stringify(l));
      expect(all.some((l) => l.includes("sha256=") || l.includes('"payload"'))).toBe(false);
    } finally {
      child.kill("SIGKILL");
      sim.setWebhookTarget(null);
    }
  }, 60_000);
});
