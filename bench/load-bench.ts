import { generateKeyPairSync } from "node:crypto";
import { createBotServer, type BotServer } from "../bot/server.js";
import { startSimBot } from "../cli/demo/start-sim-bot.js";
import type { AuditEvent } from "../core/audit.js";
import type { GitHubSim } from "@jitops/sim/github";
import { BENCH_NOW, BENCH_REPO, benchSim } from "./bench-world.js";
import { round } from "./measure.js";
import { requestFiles } from "./validate-bench.js";

const SECRET = "load-bench-webhook-secret";
const NOW = BENCH_NOW;

/** Figures of one offered rate. */
export interface LoadFigures {
  /** Review events offered a second, and how many were sent in all. */
  rate: number;
  events: number;
  /** Events the simulator got out a second (it delivers one at a time, as GitHub does per hook). */
  sent_per_s: number;
  /** Webhook (review submitted) to a check run showing a decision that saw it, in ms. */
  p50_ms: number | null;
  p99_ms: number | null;
  /** Deliveries not answered 2xx (503 queue full, timeouts) plus handlings that failed. */
  errors: number;
  /** Events no decision reflected by the end of the drain (late, not necessarily lost: reconcile would catch up). */
  undecided: number;
  /** Pull requests whose check run does not show their last review after the drain: lost decisions if `drained`, else late ones. */
  lost: number;
  /** Whether the bot worked off everything within the drain time. */
  drained: boolean;
}

/** Options of a load run. */
export interface LoadOptions {
  rates: number[];
  /** Seconds each rate is offered for. */
  seconds: number;
  /** Open pull requests the reviews spread over. */
  prs: number;
  /** Production pacing of the Octokit throttling plugin (writes a second apart per installation). */
  throttle: boolean;
  /** Longest wait for the bot to work off what was sent, after each rate. */
  drainSeconds: number;
  progress?: (m: string) => void;
}

const percentile = (sorted: number[], p: number): number | null =>
  sorted.length === 0 ? null : sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;

async function seeded(REPO: string, prs: number): Promise<{ sim: GitHubSim; numbers: number[] }> {
  const sim = await benchSim();
  // The PRs are opened and first decided by an unpaced bot: setting up is not what is measured.
  const setup = await startSimBot(sim, {
    secret: SECRET,
    logLevel: "fatal",
    now: () => NOW,
    queueLimit: 10_000,
  });
  const numbers = requestFiles(prs).map((f, i) =>
    sim.openPullRequest(REPO, {
      head: `r${i}`,
      author: "alice",
      title: f.path,
      files: { [f.path]: f.content },
    }),
  );
  await sim.awaitDeliveries();
  await setup.close();
  return { sim, numbers };
}

async function measuredBot(
  sim: GitHubSim,
  throttle: boolean,
  audit: (e: AuditEvent) => void,
): Promise<BotServer> {
  const bot = await createBotServer({
    appId: sim.appInfo.id,
    privateKey: generateKeyPairSync("rsa", { modulusLength: 2048 })
      .privateKey.export({ type: "pkcs1", format: "pem" })
      .toString(),
    secret: SECRET,
    baseUrl: sim.url,
    port: 0,
    logLevel: "fatal",
    now: () => NOW,
    throttle,
    audit: { write: (e) => audit(e) },
  });
  sim.setWebhookTarget({ url: bot.webhookUrl, secret: SECRET, idle: () => bot.idle() });
  return bot;
}

/**
 * Review events at each rate against one bot over `prs` open pull requests on sim/github: each
 * event is bob approving or requesting changes (alternating per PR, so every event changes the
 * decision), and its latency runs from the review to the first check run written by a decision of
 * that delivery or a later one of the same PR (bursts are coalesced). The bot runs in this
 * process with the simulator, which shares its CPU.
 */
export async function benchLoad(o: LoadOptions): Promise<LoadFigures[]> {
  const out: LoadFigures[] = [];
  for (const rate of o.rates) {
    // A fresh simulator per rate: work a paced bot still holds after its drain time goes nowhere.
    const REPO = BENCH_REPO;
    const { sim, numbers } = await seeded(REPO, o.prs);
    try {
      o.progress?.(`load: ${rate} reviews/s for ${o.seconds} s, throttling ${o.throttle ? "on" : "off"}`);
      const written = new Map<string, number>();
      const bot = await measuredBot(sim, o.throttle, (e) => {
        if (e.deliveryId) written.set(e.deliveryId, performance.now());
      });
      const before = sim.deliveries().length;
      const sent: { pr: number; at: number }[] = [];
      const last = new Map<number, "APPROVED" | "CHANGES_REQUESTED">();
      const started = performance.now();
      await new Promise<void>((resolve) => {
        const timer = setInterval(() => {
          const elapsed = (performance.now() - started) / 1000;
          const due = Math.min(Math.floor(elapsed * rate), rate * o.seconds);
          while (sent.length < due) {
            const pr = numbers[sent.length % numbers.length]!;
            const state = last.get(pr) === "APPROVED" ? "CHANGES_REQUESTED" : "APPROVED";
            last.set(pr, state);
            sent.push({ pr, at: performance.now() });
            sim.submitReview(REPO, pr, { user: "bob", state });
          }
          if (sent.length >= rate * o.seconds) {
            clearInterval(timer);
            resolve();
          }
        }, 5);
      });
      const sendSeconds = (performance.now() - started) / 1000;
      let timer: NodeJS.Timeout | undefined;
      const drained = await Promise.race([
        sim.awaitDeliveries().then(() => true),
        new Promise<boolean>((r) => (timer = setTimeout(() => r(false), o.drainSeconds * 1000))),
      ]);
      clearTimeout(timer);
      o.progress?.(
        `load: ${sent.length} sent; ${drained ? "drained" : `not drained after ${o.drainSeconds} s`}`,
      );
      const deliveries = sim.deliveries().slice(before);
      const reviews = deliveries.filter((d) => d.event === "pull_request_review");
      // Deliveries of one PR go out in the order its reviews were submitted.
      const byPr = new Map<number, string[]>();
      for (const d of reviews) {
        const n = (JSON.parse(d.body) as { pull_request: { number: number } }).pull_request.number;
        byPr.set(n, [...(byPr.get(n) ?? []), d.id]);
      }
      const seen = new Map<number, number>();
      const latencies: number[] = [];
      let undecided = 0;
      for (const e of sent) {
        const k = seen.get(e.pr) ?? 0;
        seen.set(e.pr, k + 1);
        const ids = byPr.get(e.pr) ?? [];
        const at = ids
          .slice(k)
          .map((id) => written.get(id))
          .filter((t): t is number => t !== undefined && t >= e.at);
        if (at.length === 0) undecided++;
        else latencies.push(Math.min(...at) - e.at);
      }
      latencies.sort((a, b) => a - b);
      const handled = await bot.metrics.render();
      const failedHandling = handled
        .split("\n")
        .filter((l) => l.startsWith("jitops_webhook_deliveries_total{") && l.includes('outcome="failed"'))
        .reduce((n, l) => n + Number(l.split(" ").at(-1)), 0);
      let lost = 0;
      for (const [pr, state] of last) {
        const head = sim.getPullRequest(REPO, pr).headSha;
        const check = sim.getCheckRuns(REPO, head).find((c) => c.name === "jitops/approval");
        if (check?.conclusion !== (state === "APPROVED" ? "success" : "failure")) lost++;
      }
      out.push({
        rate,
        events: sent.length,
        sent_per_s: round(reviews.filter((d) => d.status !== "queued").length / sendSeconds, 1),
        p50_ms: latencies.length ? round(percentile(latencies, 50)!, 1) : null,
        p99_ms: latencies.length ? round(percentile(latencies, 99)!, 1) : null,
        errors: reviews.filter((d) => d.status === "failed").length + failedHandling,
        undecided,
        lost,
        drained,
      });
      await bot.shutdown(0);
      sim.setWebhookTarget(null);
    } finally {
      await sim.stop();
    }
  }
  return out;
}
