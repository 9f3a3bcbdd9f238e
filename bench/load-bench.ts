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
/** With throttling on, pull requests decided before the clock starts (each costs a paced second). */
const WARM_PACED = 5;

/** Figures of one offered rate. */
export interface LoadFigures {
  /** Review events offered a second, and how many were sent in all (both kinds). */
  rate: number;
  events: number;
  /** Events the simulator got out a second (it delivers one at a time, as GitHub does per hook). */
  sent_per_s: number;
  /** Of a review that changes the decision: webhook (review submitted) to a check run showing a decision that saw it, in ms. */
  p50_ms: number | null;
  p99_ms: number | null;
  /** Of `events`, the reviews that do not change the decision (bob's COMMENTED reviews: every other event). */
  no_change_events: number;
  /**
   * Of a review that does not change the decision: webhook to the audit event of a decision that saw
   * it, in ms. Its check run already shows that decision, so no write follows: the audit ends its work.
   */
  no_change_p50_ms: number | null;
  no_change_p99_ms: number | null;
  /** Of `undecided`, the no-change events: the percentiles above cover only the others. */
  no_change_undecided: number;
  /** Check-run writes the bot skipped as unchanged (`jitops_github_writes_skipped_total`): one per no-change event not coalesced into a later one. */
  check_writes_skipped: number;
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
  sorted.length === 0
    ? null
    : round(sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!, 1);

/** The sum of a counter's samples in a Prometheus text exposition whose line starts with `series` and has every label given. */
function counted(exposition: string, series: string, labels: string[]): number {
  return exposition
    .split("\n")
    .filter((l) => l.startsWith(`${series}{`) && labels.every((x) => l.includes(x)))
    .reduce((n, l) => n + Number(l.split(" ").at(-1)), 0);
}

async function seeded(prs: number): Promise<{ sim: GitHubSim; numbers: number[] }> {
  const sim = await benchSim();
  // The PRs are opened and first decided by an unpaced bot: setting up is not what is measured.
  const setup = await startSimBot(sim, {
    secret: SECRET,
    logLevel: "fatal",
    now: () => NOW,
    queueLimit: 10_000,
  });
  const numbers = requestFiles(prs).map((f, i) =>
    sim.openPullRequest(BENCH_REPO, {
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
 * Review events at each rate against one bot over `prs` open pull requests on sim/github. Every
 * other event changes the decision: bob approving or requesting changes (alternating per PR, the
 * PRs in turn); its latency runs from the review to the first check run written by a decision of
 * that delivery or a later one of the same PR (bursts are coalesced). The others are bob's
 * COMMENTED reviews, which count for nothing: the bot decides again, finds the check run already
 * showing that decision and skips the write, so their latency runs to the decision's audit event
 * instead. The bot knows what a check run shows only once it wrote it (a per-instance cache), so
 * comments go in turn to the PRs this bot has decided: some before the clock starts, then every PR
 * a changing review was decided on. The bot runs in this process with the simulator, which shares
 * its CPU.
 */
export async function benchLoad(o: LoadOptions): Promise<LoadFigures[]> {
  const out: LoadFigures[] = [];
  for (const rate of o.rates) {
    // A fresh simulator per rate: work a paced bot still holds after its drain time goes nowhere.
    const { sim, numbers } = await seeded(o.prs);
    try {
      o.progress?.(`load: ${rate} reviews/s for ${o.seconds} s, throttling ${o.throttle ? "on" : "off"}`);
      // A decision is audited once its check run is written, or found unchanged: the end of its work.
      const audited = new Map<string, number>();
      // The PRs this bot decided, in order: where the comments go.
      const decided: number[] = [];
      const bot = await measuredBot(sim, o.throttle, (e) => {
        if (e.deliveryId) audited.set(e.deliveryId, performance.now());
        if (!decided.includes(e.pr)) decided.push(e.pr);
      });
      // Before the clock starts, the bot decides every PR once (its caches then hold what a bot
      // running for a while holds: the figures are of a bot in steady state, not just restarted);
      // with throttling on, a few: there each warm-up decision costs a paced write, and every
      // decision waits for a worker held by paced writes anyway.
      const warm = o.throttle ? WARM_PACED : numbers.length;
      for (const pr of numbers.slice(0, warm))
        sim.submitReview(BENCH_REPO, pr, { user: "bob", state: "COMMENTED" });
      await sim.awaitDeliveries();
      if (decided.length === 0) throw new Error("load: the bot decided none of the warm-up pull requests");
      const before = sim.deliveries().length;
      const sent: { pr: number; at: number; changes: boolean }[] = [];
      const last = new Map<number, "APPROVED" | "CHANGES_REQUESTED">();
      const started = performance.now();
      await new Promise<void>((resolve) => {
        const timer = setInterval(() => {
          const elapsed = (performance.now() - started) / 1000;
          const due = Math.min(Math.floor(elapsed * rate), rate * o.seconds);
          while (sent.length < due) {
            // Every other event is a comment: it counts for nothing, so the decision stays as it is.
            const i = Math.floor(sent.length / 2);
            if (sent.length % 2 === 1) {
              const pr = decided[i % decided.length]!;
              sent.push({ pr, at: performance.now(), changes: false });
              sim.submitReview(BENCH_REPO, pr, { user: "bob", state: "COMMENTED" });
              continue;
            }
            // The warmed PRs come last in the changing reviews' turn.
            const pr = numbers[(warm + i) % numbers.length]!;
            const state = last.get(pr) === "APPROVED" ? "CHANGES_REQUESTED" : "APPROVED";
            last.set(pr, state);
            sent.push({ pr, at: performance.now(), changes: true });
            sim.submitReview(BENCH_REPO, pr, { user: "bob", state });
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
      const latencies = { changing: [] as number[], unchanged: [] as number[] };
      const undecided = { changing: 0, unchanged: 0 };
      for (const e of sent) {
        const k = seen.get(e.pr) ?? 0;
        seen.set(e.pr, k + 1);
        const ids = byPr.get(e.pr) ?? [];
        const at = ids
          .slice(k)
          .map((id) => audited.get(id))
          .filter((t): t is number => t !== undefined && t >= e.at);
        if (at.length === 0) undecided[e.changes ? "changing" : "unchanged"]++;
        else latencies[e.changes ? "changing" : "unchanged"].push(Math.min(...at) - e.at);
      }
      latencies.changing.sort((a, b) => a - b);
      latencies.unchanged.sort((a, b) => a - b);
      const metrics = await bot.metrics.render();
      const failedHandling = counted(metrics, "jitops_webhook_deliveries_total", ['outcome="failed"']);
      let lost = 0;
      for (const [pr, state] of last) {
        const head = sim.getPullRequest(BENCH_REPO, pr).headSha;
        const check = sim.getCheckRuns(BENCH_REPO, head).find((c) => c.name === "jitops/approval");
        if (check?.conclusion !== (state === "APPROVED" ? "success" : "failure")) lost++;
      }
      out.push({
        rate,
        events: sent.length,
        sent_per_s: round(reviews.filter((d) => d.status !== "queued").length / sendSeconds, 1),
        p50_ms: percentile(latencies.changing, 50),
        p99_ms: percentile(latencies.changing, 99),
        no_change_events: sent.filter((e) => !e.changes).length,
        no_change_p50_ms: percentile(latencies.unchanged, 50),
        no_change_p99_ms: percentile(latencies.unchanged, 99),
        no_change_undecided: undecided.unchanged,
        check_writes_skipped: counted(metrics, "jitops_github_writes_skipped_total", ['kind="check-run"']),
        errors: reviews.filter((d) => d.status === "failed").length + failedHandling,
        undecided: undecided.changing + undecided.unchanged,
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
