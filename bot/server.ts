import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { KubeConfig } from "@kubernetes/client-node";
import type { EmitterWebhookEvent } from "@octokit/webhooks";
import { Probot, ProbotOctokit, type Logger } from "probot";
import { ConditionalCache, conditionalRequests } from "../github/conditional-requests.js";
import { auditSubscriber, createLifecycleBus, type LifecycleBus } from "../app/lifecycle-bus.js";
import { systemClock } from "../core/clock.js";
import { jitopsApp, type BotOptions, type PassMode } from "./app.js";
import { auditStream, type AuditStream } from "./audit-stream.js";
import { BotMetrics } from "./bot-metrics.js";
import { assertPrivateKey } from "./check-private-key.js";
import { octokitMetrics } from "./octokit-metrics.js";
import { kubernetesLease } from "./periodic-lease.js";
import { leaseTiming, startPeriodicPasses, type PassName } from "./periodic-passes.js";
import { Readiness } from "./readiness.js";
import { settlesWithin } from "./settles-within.js";
import { SingleFlight } from "./single-flight.js";
import { defaultBranchSettings, subscribeNotifications } from "./notify-wiring.js";
import {
  activityEnabled,
  kubernetesAuditRoute,
  kubernetesAuditStore,
  subscribeActivity,
  type ActivityOptions,
} from "./activity-wiring.js";
import { MAX_DELIVERY_BYTES, receiveDelivery, reply } from "./receive-delivery.js";
import { WorkQueue } from "./work-queue.js";
import type { Env } from "../core/env.js";

/** Log levels of LOG_LEVEL. */
export type LogLevel = "trace" | "debug" | "info" | "warn" | "error" | "fatal" | "silent";
/** LOG_FORMAT: JSON lines (the default) or Probot's pretty lines for a terminal. */
export type LogFormat = "json" | "pretty";

/** Credentials and listening address of the bot's webhook server. */
export interface BotServerOptions extends BotOptions {
  appId: number | string;
  privateKey: string;
  /** Webhook secret: required, every delivery is verified against it. */
  secret: string | undefined;
  /** REST base URL (GitHub Enterprise Server or the simulator); github.com when omitted. */
  baseUrl?: string;
  port?: number;
  host?: string;
  webhooksPath?: string;
  /** Re-decide every open pull request this often (a lost delivery becomes a delay); no timer when 0 or omitted. */
  reconcileEveryMs?: number;
  /** Sweep expired grants (remove bindings, merge revert PRs) this often; no timer when 0 or omitted. */
  sweepEveryMs?: number;
  /** Open certification pull requests that are due, and remind their reviewers, this often; no timer when 0 or omitted. */
  certifyEveryMs?: number;
  /** Ask GitHub to redeliver failed deliveries this often; no timer when 0 or omitted. */
  deliveryRecoveryEveryMs?: number;
  /**
   * A coordination.k8s.io Lease: only the replica holding it runs the periodic passes (reconcile,
   * sweep, delivery recovery). Without one every replica runs them (safe: they are idempotent).
   */
  lease?: { namespace: string; name: string; identity: string; kubeConfig: KubeConfig };
  /** Without a lease: how soon after start every periodic pass runs once (default 1 s when any pass has a timer; none when negative). */
  startupPassDelayMs?: number;
  /** Base of Octokit's retry back-off in ms (1000 by default); tests make it small. */
  retryBaseMs?: number;
  /** `false` turns off Octokit's pacing (a second between writes, waits on rate limits); only for the simulator. */
  throttle?: boolean;
  logLevel?: LogLevel;
  /** JSON lines by default. */
  logFormat?: LogFormat;
  /** A pino logger to write to instead of Probot's stdout logger. */
  log?: Logger;
  /** Append audit events (decisions and grants) as JSON lines to this file instead of stdout; used when `audit`/`grantAudit` are not given. */
  auditFile?: string;
  /** Write audit events as JSON lines (to `auditFile` or stdout) when `audit`/`grantAudit` are not given; else they go to the logger. */
  auditToStream?: boolean;
  /** Pull requests worked on at the same time (default 4). */
  concurrency?: number;
  /** Deliveries waiting or running before new ones are refused with 503 (default 1000). */
  queueLimit?: number;
  /** Largest delivery body accepted (default and at most GitHub's 25 MB). */
  maxDeliveryBytes?: number;
  /** First delay before asking GitHub again to confirm the App (doubles up to a minute; default 1 s). */
  readinessRetryMs?: number;
  /** How long `close()` waits for in-flight work (default 20 s). */
  shutdownGraceMs?: number;
  /**
   * The environment chat notifications are configured from (SLACK_BOT_TOKEN, JITOPS_SLACK_API_URL,
   * JITOPS_TEAMS_WEBHOOK_<NAME>); no notifications when omitted or when it configures none.
   */
  notifyEnv?: Env;
  /**
   * Activity records and the Kubernetes audit endpoint `POST /k8s-audit?cluster=<name>`
   * (`JITOPS_K8S_AUDIT_TOKEN`), both when its `env` has `JITOPS_ACTIVITY=on`; neither otherwise.
   */
  activity?: ActivityOptions;
}

/** A listening bot: its URLs, the Probot instance, metrics, readiness, periodic passes and shutdown. */
export interface BotServer {
  /** `http://host:port`: `/healthz`, `/readyz` and `/metrics` live here. */
  url: string;
  webhookUrl: string;
  probot: Probot;
  metrics: BotMetrics;
  readiness: Readiness;
  reconcileAll(): Promise<void>;
  sweepAll(): Promise<void>;
  /** Opens the certification pull requests that are due and reminds their reviewers (what the certify timer runs). */
  certifyAll(): Promise<void>;
  /** One delivery-recovery pass now (outside the lease), looking back one recovery window. */
  recoverDeliveries(): Promise<void>;
  /** One tick of a periodic pass now, as its timer would run it (through the lease, periodic mode). */
  tickPass(name: PassName): Promise<void>;
  /** The lifecycle bus: decisions, grants, revokes and expiries; the audit stream and notifications subscribe. */
  events: LifecycleBus;
  /** Resolves once no delivery waits or runs, and subscribers handled every event emitted. */
  idle(): Promise<void>;
  /**
   * Stops accepting (not ready at once, the listener closes, timers stop) and waits up to `graceMs`
   * for queued deliveries and running passes; `drained` says whether they all finished in time.
   */
  shutdown(graceMs: number): Promise<{ drained: boolean }>;
  /** `shutdown` with the configured grace period. */
  close(): Promise<void>;
}

/** Deliveries of one pull request that may wait at once; more are refused (503) so one PR cannot fill the queue. */
export const MAX_PER_PULL = 32;
/** Payload bytes all waiting deliveries may hold. */
export const MAX_QUEUED_BYTES = 128 * 1024 * 1024;

/** Work-queue tag of deliveries that decide a pull request (a burst of them is decided once). */
const DECIDE = "decide";

/** How long the front door waits for an installation token before refusing the delivery. */
export const INSTALLATION_CHECK_MS = 5000;

/**
 * Whether the App can act for an installation: its token (cached by Probot for about an hour) or
 * a fresh one. Undefined when it can; otherwise why not, for the 503 answer.
 */
async function installationUsable(probot: Probot, installationId: number): Promise<string | undefined> {
  try {
    const octokit = await probot.auth(installationId);
    const token = octokit.auth({ type: "installation" });
    if (!(await settlesWithin(token, INSTALLATION_CHECK_MS)))
      throw new Error(`no answer within ${INSTALLATION_CHECK_MS} ms`);
    await token;
    return undefined;
  } catch (e) {
    const status = (e as { status?: number }).status;
    return `the App cannot get a token for installation ${installationId} (${status ? `HTTP ${status}: ` : ""}${(e as Error).message})`;
  }
}

/** Throws unless a webhook secret is set: Probot would fall back to a public default and accept forged deliveries. */
export function assertWebhookSecret(secret: string | undefined): asserts secret is string {
  if (!secret || secret.trim() === "")
    throw new Error(
      "jitops bot: a webhook secret is required (set WEBHOOK_SECRET to the secret of the GitHub App's webhook); refusing to start",
    );
}

/**
 * Starts the jitops Probot app behind its own HTTP front door: deliveries are size-capped, verified on
 * raw bytes, checked and queued (answered at once), then handled by Probot; plus health, readiness,
 * metrics, and optional reconcile and sweep timers.
 */
export async function createBotServer(options: BotServerOptions): Promise<BotServer> {
  assertWebhookSecret(options.secret);
  assertPrivateKey(options.privateKey, "the private key");
  // The one clock of this bot: decisions, expiries, notifications and activity records all read it.
  const now = options.now ?? systemClock;
  // One per bot instance, shared by every client it makes (installations and the App itself).
  const conditional = new ConditionalCache();
  const metrics = new BotMetrics(systemClock, () => conditional.stats);
  const probot = new Probot({
    appId: options.appId,
    privateKey: options.privateKey,
    secret: options.secret,
    ...(options.log
      ? { log: options.log }
      : {
          logLevel: (options.logLevel ?? "info") as "info",
          logFormat: options.logFormat ?? "json",
          logLevelInString: true,
        }),
    ...(options.baseUrl ? { baseUrl: options.baseUrl } : {}),
    // A function, not an object: Probot's own throttle options would otherwise win over ours.
    // Metrics inside conditional requests: a 304 is counted as such, then answered from the cache.
    Octokit: ProbotOctokit.plugin(octokitMetrics(metrics) as never, conditionalRequests as never).defaults(
      (o: { throttle?: object; retry?: object; auth?: { request?: { defaults(o: object): unknown } } }) => ({
        ...o,
        conditionalCache: conditional,
        // Probot gives the App's auth strategy a request without the base URL: a token asked for
        // directly (the front door's installation check) would go to api.github.com, not to GHES.
        ...(options.baseUrl && o.auth?.request
          ? { auth: { ...o.auth, request: o.auth.request.defaults({ baseUrl: options.baseUrl }) } }
          : {}),
        ...(options.retryBaseMs !== undefined
          ? { retry: { ...o.retry, retryAfterBaseValue: options.retryBaseMs } }
          : {}),
        ...(options.throttle === false ? { throttle: { ...o.throttle, enabled: false } } : {}),
      }),
    ),
  });
  await probot.ready();
  const log = probot.log.child({ name: "jitops" });

  let audit: AuditStream | undefined;
  if (options.auditToStream && (!options.audit || !options.grantAudit))
    audit = auditStream(options.auditFile);
  const queue = new WorkQueue({
    concurrency: Math.max(1, options.concurrency ?? 4),
    maxItems: Math.max(1, options.queueLimit ?? 1000),
    maxBytes: MAX_QUEUED_BYTES,
    maxPerKey: MAX_PER_PULL,
  });
  metrics.watchQueue(() => queue.depth());
  // Lifecycle events: the audit stream is the first subscriber, notifications the next.
  const events = options.events ?? createLifecycleBus({ warn: (m) => log.warn(m) });
  if (audit) {
    const stream = audit;
    events.subscribe(auditSubscriber((event) => stream.write(event)));
  }
  const { app, known, reconcileAll, sweepAll, recoverAll, certifyAll, handled } = jitopsApp({
    ...options,
    now,
    events,
    metrics,
    supersededBy: (key) => queue.nextTag(key) === DECIDE,
    ...(audit ? { audit: options.audit ?? audit, grantAudit: options.grantAudit ?? audit } : {}),
  });
  await probot.load(app);
  if (options.notifyEnv)
    subscribeNotifications(
      events,
      options.notifyEnv,
      defaultBranchSettings(probot, known),
      options.baseUrl,
      now,
    );
  // One audit store per instance: Kubernetes events live in its memory until recorded.
  const k8sAudit =
    options.activity && activityEnabled(options.activity.env) ? kubernetesAuditStore(now) : undefined;
  const activity = options.activity
    ? subscribeActivity(events, {
        probot,
        known,
        options: options.activity,
        now,
        ...(k8sAudit ? { store: k8sAudit } : {}),
        warn: (m) => log.warn(m),
      })
    : undefined;
  const auditRoute =
    options.activity && k8sAudit ? kubernetesAuditRoute(options.activity.env, k8sAudit) : undefined;
  const readiness = new Readiness({
    probe: async () => {
      const appClient = await probot.auth();
      // No retries and a timeout: the prober has its own back-off, and a black hole must not hang it.
      await appClient.request("GET /app", { request: { retries: 0, signal: AbortSignal.timeout(10_000) } });
    },
    log: { info: (m) => log.info(m), warn: (m) => log.warn(m) },
    initialDelayMs: options.readinessRetryMs ?? 1000,
    providers: (options.providers ?? []).map((p) => p.name),
  });
  let draining = false;

  const path = options.webhooksPath ?? "/api/github/webhooks";
  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    const route = (req.url ?? "/").split("?")[0];
    if (route === path) {
      void receiveDelivery(
        {
          secret: options.secret!,
          queue,
          metrics,
          log,
          handled,
          draining: () => draining,
          admit: (d) => installationUsable(probot, (d.payload.installation as { id: number }).id),
          tagOf: (d) => (d.name === "pull_request" || d.name === "pull_request_review" ? DECIDE : undefined),
          maxBytes: Math.min(options.maxDeliveryBytes ?? MAX_DELIVERY_BYTES, MAX_DELIVERY_BYTES),
          work: (d) => async () => {
            // Handlers report their own failures; this catches a bug without logging the payload.
            await probot.webhooks
              .receive({ id: d.id, name: d.name, payload: d.payload } as unknown as EmitterWebhookEvent)
              .catch((e: Error) =>
                log.error({ deliveryId: d.id, event: d.name }, `jitops: handling failed: ${e.message}`),
              );
          },
        },
        req,
        res,
      ).catch((e: Error) => {
        log.error(`jitops: webhook front door: ${e.message}`);
        if (!res.headersSent) reply(res, 500, { ok: false, code: "internal", message: "internal error" });
      });
      return;
    }
    if (route === "/k8s-audit" && auditRoute) return auditRoute(req, res);
    if (req.method !== "GET" && req.method !== "HEAD")
      return reply(res, 405, { ok: false, code: "method", message: "only GET is served here" });
    if (route === "/healthz") return reply(res, 200, { status: "ok" });
    if (route === "/readyz") {
      const status = readiness.status();
      return reply(res, status.ready ? 200 : 503, status);
    }
    if (route === "/metrics") {
      void metrics.render().then(
        (text) => {
          res.writeHead(200, { "content-type": metrics.registry.contentType });
          res.end(text);
        },
        (e: Error) => reply(res, 500, { ok: false, code: "internal", message: e.message }),
      );
      return;
    }
    reply(res, 404, { ok: false, code: "not-found", message: `nothing at ${route}` });
  };

  const server = createServer(handle);
  // A client that trickles its headers or body is cut off instead of holding a socket forever.
  server.headersTimeout = 10_000;
  server.requestTimeout = 60_000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 3000, options.host ?? "127.0.0.1", () => resolve());
  });
  const { address, port } = server.address() as AddressInfo;
  const host = address.includes(":") ? `[${address}]` : address;
  void readiness.start();

  const timed = async (pass: () => Promise<void>, done: (seconds: number, ok: boolean) => void) => {
    const started = performance.now();
    try {
      await pass();
      done((performance.now() - started) / 1000, true);
    } catch (e) {
      done((performance.now() - started) / 1000, false);
      throw e;
    }
  };
  const recoveryEveryMs = options.deliveryRecoveryEveryMs ?? 0;
  // One interval back, plus as long again and a minute: a pass that was late or skipped misses nothing.
  const recoveryWindowMs = Math.max(2 * recoveryEveryMs, 5 * 60_000) + 60_000;

  const run = (name: PassName, mode: PassMode): Promise<void> =>
    name === "reconcile"
      ? timed(
          () => reconcileAll(probot, mode),
          (s, ok) => metrics.reconciled(s, ok),
        )
      : name === "sweep"
        ? timed(
            () => sweepAll(probot, mode),
            (s, ok) => metrics.sweepDuration.observe({ outcome: ok ? "succeeded" : "failed" }, s),
          )
        : name === "certify"
          ? certifyAll(probot)
          : recoverAll(probot, new Date(now().getTime() - recoveryWindowMs)).then(() => undefined);
  const certifyEveryMs = options.certifyEveryMs ?? 0;
  const intervals = [
    options.reconcileEveryMs ?? 0,
    options.sweepEveryMs ?? 0,
    recoveryEveryMs,
    certifyEveryMs,
  ];
  const timing = leaseTiming(intervals);
  const passes = startPeriodicPasses({
    passes: [
      { name: "reconcile", everyMs: options.reconcileEveryMs ?? 0, run: () => run("reconcile", "periodic") },
      { name: "sweep", everyMs: options.sweepEveryMs ?? 0, run: () => run("sweep", "periodic") },
      ...(certifyEveryMs > 0
        ? [{ name: "certify" as const, everyMs: certifyEveryMs, run: () => run("certify", "periodic") }]
        : []),
      ...(recoveryEveryMs > 0
        ? [
            {
              name: "recover-deliveries" as const,
              everyMs: recoveryEveryMs,
              run: () => run("recover-deliveries", "periodic"),
            },
          ]
        : []),
    ],
    ...(options.lease
      ? {
          lease: kubernetesLease(options.lease.kubeConfig, {
            namespace: options.lease.namespace,
            name: options.lease.name,
            identity: options.lease.identity,
            durationSeconds: timing.durationSeconds,
            // The lease is between replicas' real clocks, whatever clock decisions use.
            now: systemClock,
          }),
        }
      : {}),
    renewEveryMs: timing.renewEveryMs,
    // A bot with no timer at all (tests, the demo) runs no pass by itself unless asked to.
    startupDelayMs: options.startupPassDelayMs ?? (intervals.some((ms) => ms > 0) ? 1000 : -1),
    metrics,
    log: { info: (m) => log.info(m), warn: (m) => log.warn(m), error: (m) => log.error(m) },
  });

  // Called directly (tests, the CLI), the passes run whether or not this replica holds the lease.
  const direct = new SingleFlight<PassName>();
  const once = (name: PassName) =>
    direct.run(name, () =>
      run(name, "direct").catch((e: Error) => log.error(`jitops ${name}: ${e.message}`)),
    );

  let shutting: Promise<{ drained: boolean }> | undefined;
  const shutdown = (graceMs: number) =>
    (shutting ??= (async () => {
      draining = true;
      readiness.drain();
      queue.close();
      const stopped = passes.stop();
      activity?.stop();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const drained = await settlesWithin(Promise.all([queue.idle(), stopped, direct.idle()]), graceMs);
      if (!drained) log.warn(`jitops: shutdown grace of ${graceMs} ms ran out with work in flight`);
      server.closeAllConnections();
      await closed;
      // Subscribers finish what was emitted (a notification being retried is given up at the grace).
      await settlesWithin(events.idle(), graceMs);
      await audit?.close();
      return { drained };
    })());

  return {
    url: `http://${host}:${port}`,
    webhookUrl: `http://${host}:${port}${path}`,
    probot,
    metrics,
    readiness,
    sweepAll: () => once("sweep"),
    reconcileAll: () => once("reconcile"),
    recoverDeliveries: () => once("recover-deliveries"),
    certifyAll: () => once("certify"),
    tickPass: (name) => passes.tick(name),
    idle: async () => {
      await queue.idle();
      await events.idle();
    },
    events,
    shutdown,
    close: async () => {
      await shutdown(options.shutdownGraceMs ?? 20_000);
    },
  };
}
