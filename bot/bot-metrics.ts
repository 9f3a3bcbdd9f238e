import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from "prom-client";
import { systemClock, type Clock } from "../core/clock.js";

/** How a delivery ended, as counted in `jitops_webhook_deliveries_total`. */
export type DeliveryOutcome = "queued" | "duplicate" | "ignored" | "succeeded" | "failed" | "coalesced";

/** Counts of conditional GET requests: answered 304 from a kept response, or fetched with a body. */
export interface ConditionalStats {
  notModified: number;
  fetched: number;
}

/**
 * The bot's Prometheus metrics on a registry of its own (not prom-client's global one), so two bots
 * in one process (tests, replicas) never share or collide on a series.
 */
export class BotMetrics {
  /** The registry `/metrics` renders. */
  readonly registry = new Registry();
  private readonly accepted = new Map<string, number>();
  private lastReconcile: number | undefined;

  readonly deliveries = new Counter({
    name: "jitops_webhook_deliveries_total",
    help: "Webhook deliveries by event and outcome (queued, duplicate, ignored on arrival; succeeded, failed once handled; coalesced into a later delivery's decision of the same pull request).",
    labelNames: ["event", "outcome"] as const,
    registers: [this.registry],
  });
  readonly rejected = new Counter({
    name: "jitops_webhook_rejected_total",
    help: "Webhook deliveries refused before queueing, by HTTP status (400, 401, 405, 413, 503) and error code.",
    labelNames: ["status", "code"] as const,
    registers: [this.registry],
  });
  readonly checkLatency = new Histogram({
    name: "jitops_webhook_to_check_run_seconds",
    help: "Seconds from a delivery's arrival to its decision written as the jitops/approval check run.",
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60],
    registers: [this.registry],
  });
  readonly apiCalls = new Counter({
    name: "jitops_github_api_calls_total",
    help: "GitHub REST API calls by installation ('app' for calls as the App) and HTTP status.",
    labelNames: ["installation", "status"] as const,
    registers: [this.registry],
  });
  readonly rateLimitRemaining = new Gauge({
    name: "jitops_github_rate_limit_remaining",
    help: "x-ratelimit-remaining of the last GitHub API answer, by installation.",
    labelNames: ["installation"] as const,
    registers: [this.registry],
  });
  readonly grants = new Counter({
    name: "jitops_grants_total",
    help: "Cloud binding changes by provider and outcome (applied, failed, revoked, break-glass).",
    labelNames: ["provider", "outcome"] as const,
    registers: [this.registry],
  });
  readonly sweepDuration = new Histogram({
    name: "jitops_sweep_duration_seconds",
    help: "Duration of sweep passes over every repository, by outcome.",
    labelNames: ["outcome"] as const,
    buckets: [0.1, 0.5, 1, 5, 15, 60, 300],
    registers: [this.registry],
  });
  readonly reconcileDuration = new Histogram({
    name: "jitops_reconcile_duration_seconds",
    help: "Duration of reconcile passes (re-deciding every open pull request), by outcome.",
    labelNames: ["outcome"] as const,
    buckets: [0.1, 0.5, 1, 5, 15, 60, 300],
    registers: [this.registry],
  });

  readonly redeliveries = new Counter({
    name: "jitops_delivery_redeliveries_total",
    help: "Failed webhook deliveries the recovery pass asked GitHub to redeliver (requested), or left alone (given-up: refused for good or out of attempts).",
    labelNames: ["outcome"] as const,
    registers: [this.registry],
  });
  readonly leaseHeld = new Gauge({
    name: "jitops_lease_held",
    help: "1 while this replica holds the periodic-pass Lease (it runs reconcile, sweep and delivery recovery), 0 otherwise; absent without a Lease.",
    registers: [this.registry],
  });
  readonly passes = new Counter({
    name: "jitops_periodic_passes_total",
    help: "Periodic passes (reconcile, sweep, recover-deliveries) by outcome: succeeded, failed, or skipped because another replica holds the Lease.",
    labelNames: ["pass", "outcome"] as const,
    registers: [this.registry],
  });
  readonly writesSkipped = new Counter({
    name: "jitops_github_writes_skipped_total",
    help: "GitHub writes not made because they would change nothing (a check run already showing the same decision).",
    labelNames: ["kind"] as const,
    registers: [this.registry],
  });

  constructor(
    /** Latencies and ages are real time: the machine's clock, whatever clock decisions use. */
    private readonly clock: Clock = systemClock,
    /** Where conditional-request counts come from (the bot's ConditionalCache); none when omitted. */
    conditional?: () => ConditionalStats,
  ) {
    if (conditional) {
      // Read from the cache at scrape time: the plugin counts, the registry only reports.
      const requests: Counter = new Counter({
        name: "jitops_github_conditional_requests_total",
        help: "GitHub GET requests by result: not-modified (answered 304 from a kept response; GitHub does not count them) or fetched (a body came back).",
        labelNames: ["result"] as const,
        registers: [this.registry],
        collect: () => {
          const stats = conditional();
          requests.reset();
          requests.inc({ result: "not-modified" }, stats.notModified);
          requests.inc({ result: "fetched" }, stats.fetched);
        },
      });
    }
    const started = this.now();
    // Since start when no pass succeeded yet: an alert on "older than N intervals" then fires for a bot that never reconciles.
    const since: Gauge = new Gauge({
      name: "jitops_seconds_since_last_reconcile",
      help: "Seconds since the last successful reconcile pass (since start when none succeeded yet).",
      registers: [this.registry],
      collect: () => since.set((this.now() - (this.lastReconcile ?? started)) / 1000),
    });
    const last: Gauge = new Gauge({
      name: "jitops_last_reconcile_success_timestamp_seconds",
      help: "Unix time of the last successful reconcile pass (0 when none yet).",
      registers: [this.registry],
      collect: () => last.set((this.lastReconcile ?? 0) / 1000),
    });
    collectDefaultMetrics({ register: this.registry });
  }

  private now(): number {
    return this.clock().getTime();
  }

  /** Reports the work queue's depth at scrape time (`jitops_webhook_queue_items`). */
  watchQueue(depth: () => { items: number; running: number }): void {
    const items: Gauge = new Gauge({
      name: "jitops_webhook_queue_items",
      help: "Deliveries waiting or running in the work queue.",
      registers: [this.registry],
      collect: () => items.set(depth().items),
    });
  }

  /** A delivery was queued: its decision's latency is measured from now. */
  deliveryAccepted(id: string): void {
    this.accepted.set(id, this.now());
  }

  /** A delivery's handling ended (the latency clock for it stops). */
  deliveryFinished(id: string, event: string, outcome: "succeeded" | "failed" | "coalesced"): void {
    this.accepted.delete(id);
    this.deliveries.inc({ event, outcome });
  }

  /** A decision was written as a check run for this delivery. */
  decisionWritten(deliveryId: string | undefined): void {
    const at = deliveryId === undefined ? undefined : this.accepted.get(deliveryId);
    if (at !== undefined) this.checkLatency.observe((this.now() - at) / 1000);
  }

  /** A reconcile pass ended. */
  reconciled(seconds: number, ok: boolean): void {
    this.reconcileDuration.observe({ outcome: ok ? "succeeded" : "failed" }, seconds);
    if (ok) this.lastReconcile = this.now();
  }

  /** The Prometheus text exposition of every series. */
  render(): Promise<string> {
    return this.registry.metrics();
  }
}
