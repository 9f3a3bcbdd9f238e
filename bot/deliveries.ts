import type { Context } from "probot";
import { CACHE_BOUNDS, LruCache } from "../core/lru-cache.js";
import type { BotMetrics } from "./bot-metrics.js";

/**
 * The deliveries this bot instance handled (or is handling): a redelivery of one of them changes
 * nothing. A failed one is forgotten, so GitHub's (or the recovery pass's) redelivery retries it.
 */
export class Deliveries {
  private readonly seen = new LruCache<true>(CACHE_BOUNDS.deliveries);

  constructor(private readonly metrics?: BotMetrics) {}

  /** Whether a delivery id was handled or is being handled. */
  handled(id: string): boolean {
    return this.seen.has(id);
  }

  /** Runs a delivery's work once; its outcome goes to the metrics and, on failure, to the log. */
  async once(context: Context, work: () => Promise<"coalesced" | unknown>): Promise<void> {
    if (this.seen.has(context.id)) {
      context.log.info(`delivery ${context.id} already handled; ignoring the redelivery`);
      return;
    }
    this.seen.set(context.id, true);
    // The HTTP answer went out when the delivery was queued: here the work runs to its end.
    await work().then(
      (outcome) =>
        this.metrics?.deliveryFinished(
          context.id,
          context.name,
          outcome === "coalesced" ? "coalesced" : "succeeded",
        ),
      (e: Error) => {
        this.seen.delete(context.id);
        this.metrics?.deliveryFinished(context.id, context.name, "failed");
        context.log.error(`jitops: ${e.message}`);
      },
    );
  }
}

/** The delivery's logger: every line of its work names the delivery, repository, PR and head. */
export function deliveryLog(context: Context, fields: { pr?: number; headSha?: string }): Context["log"] {
  const repo = (context.payload as { repository?: { full_name?: string } }).repository;
  return context.log.child({ deliveryId: context.id, repository: repo?.full_name, ...fields });
}
