import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { createNodeMiddleware, Probot, ProbotOctokit } from "probot";
import { jitopsApp, type BotOptions } from "./app.js";

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
  /** Base of Octokit's retry back-off in ms (1000 by default); tests make it small. */
  retryBaseMs?: number;
  /** `false` turns off Octokit's pacing (a second between writes, waits on rate limits); only for the simulator. */
  throttle?: boolean;
  logLevel?: "trace" | "debug" | "info" | "warn" | "error" | "fatal";
}

/** A listening bot: its webhook URL, the Probot instance, a reconcile pass and shutdown. */
export interface BotServer {
  webhookUrl: string;
  probot: Probot;
  reconcileAll(): Promise<void>;
  sweepAll(): Promise<void>;
  close(): Promise<void>;
}

/** Throws unless a webhook secret is set: Probot would fall back to a public default and accept forged deliveries. */
export function assertWebhookSecret(secret: string | undefined): asserts secret is string {
  if (!secret || secret.trim() === "")
    throw new Error(
      "jitops bot: a webhook secret is required (set WEBHOOK_SECRET to the secret of the GitHub App's webhook); refusing to start",
    );
}

/** Starts the jitops Probot app on an HTTP server (webhooks verified on raw bytes) with an optional reconcile timer. */
export async function createBotServer(options: BotServerOptions): Promise<BotServer> {
  assertWebhookSecret(options.secret);
  const probot = new Probot({
    appId: options.appId,
    privateKey: options.privateKey,
    secret: options.secret,
    logLevel: options.logLevel ?? "info",
    ...(options.baseUrl ? { baseUrl: options.baseUrl } : {}),
    // A function, not an object: Probot's own throttle options would otherwise win over ours.
    Octokit: ProbotOctokit.defaults((o: { throttle?: object; retry?: object }) => ({
      ...o,
      ...(options.retryBaseMs !== undefined
        ? { retry: { ...o.retry, retryAfterBaseValue: options.retryBaseMs } }
        : {}),
      ...(options.throttle === false ? { throttle: { ...o.throttle, enabled: false } } : {}),
    })),
  });
  const { app, reconcileAll, sweepAll } = jitopsApp(options);
  const path = options.webhooksPath ?? "/api/github/webhooks";
  const middleware = await createNodeMiddleware(app, { probot, webhooksPath: path });
  const server = createServer((req, res) => {
    void middleware(req, res, () => res.writeHead(404).end());
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 3000, options.host ?? "127.0.0.1", () => resolve());
  });
  const { address, port } = server.address() as AddressInfo;
  const host = address.includes(":") ? `[${address}]` : address;

  let running: Promise<void> | undefined;
  // One pass at a time: a slow pass is never overlapped by the next tick.
  const reconcile = () =>
    (running ??= reconcileAll(probot)
      .catch((e: Error) => probot.log.error(`jitops reconcile: ${e.message}`))
      .finally(() => (running = undefined)));
  const timer =
    options.reconcileEveryMs && options.reconcileEveryMs > 0
      ? setInterval(() => void reconcile(), options.reconcileEveryMs).unref()
      : undefined;

  let sweeping: Promise<void> | undefined;
  const sweep = () =>
    (sweeping ??= sweepAll(probot)
      .catch((e: Error) => probot.log.error(`jitops sweep: ${e.message}`))
      .finally(() => (sweeping = undefined)));
  const sweepTimer =
    options.sweepEveryMs && options.sweepEveryMs > 0
      ? setInterval(() => void sweep(), options.sweepEveryMs).unref()
      : undefined;

  return {
    webhookUrl: `http://${host}:${port}${path}`,
    sweepAll: sweep,
    probot,
    reconcileAll: reconcile,
    close: async () => {
      clearInterval(timer);
      clearInterval(sweepTimer);
      await running;
      await sweeping;
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
