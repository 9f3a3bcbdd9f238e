import { SendFailed } from "../app/send-failed.js";
import { systemClock, type Clock } from "../core/clock.js";

/** How a send is retried: attempts in all, exponential back-off bounds, and the longest Retry-After honoured. */
export interface RetryPolicy {
  attempts: number;
  baseMs: number;
  maxMs: number;
  /** A Retry-After longer than this gives up at once (the message would be stale). */
  maxRetryAfterMs: number;
}

/** Default: 4 attempts, 1 s doubling to 30 s; a rate limit of up to 5 minutes is waited out. */
export const RETRY_POLICY: RetryPolicy = {
  attempts: 4,
  baseMs: 1000,
  maxMs: 30_000,
  maxRetryAfterMs: 300_000,
};

/** Waiting, injected so that tests run on fake or tiny delays; `now` is the clock the sleeps move on. */
export interface Waits {
  sleep(ms: number): Promise<void>;
  now: Clock;
}

/** Real time. */
export const REAL_WAITS: Waits = {
  sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
  now: systemClock,
};

/** How a failed call should be treated: retried (after `retryAfterMs` when the service said), or not. */
export type FailureKind = { retry: true; retryAfterMs?: number } | { retry: false };

/**
 * Calls `send` until it succeeds, retrying what `classify` says is transient (429 after its
 * Retry-After, 5xx and network errors with exponential back-off). Hand-rolled, because the Slack
 * client's own 429 wait sleeps in real time and pauses every channel at once, and the Teams webhook
 * has no client: one loop serves both, with waits a test can fake.
 */
export async function retrySend<T>(
  send: () => Promise<T>,
  classify: (e: unknown) => FailureKind,
  policy: RetryPolicy,
  waits: Waits,
): Promise<{ value: T; attempts: number }> {
  for (let attempt = 1; ; attempt++) {
    try {
      return { value: await send(), attempts: attempt };
    } catch (e) {
      const kind = classify(e);
      if (!kind.retry) throw new SendFailed(attempt, false, e);
      const backoff = Math.min(policy.maxMs, policy.baseMs * 2 ** (attempt - 1));
      const wait = kind.retryAfterMs ?? backoff;
      if (attempt >= policy.attempts || wait > policy.maxRetryAfterMs) throw new SendFailed(attempt, true, e);
      await waits.sleep(wait);
    }
  }
}

/**
 * Keeps sends to one channel at least `intervalMs` apart (Slack allows about one message per second
 * per channel). Remembers the last send of a bounded number of channels; per instance, no global state.
 */
export class ChannelPacer {
  private readonly last = new Map<string, number>();

  constructor(
    private readonly intervalMs: number,
    private readonly waits: Waits,
    private readonly maxChannels = 1000,
  ) {}

  /** Waits until `channel` may be sent to again, then marks it as sent now. */
  async turn(channel: string): Promise<void> {
    const previous = this.last.get(channel);
    if (previous !== undefined) {
      const wait = previous + this.intervalMs - this.waits.now().getTime();
      if (wait > 0) await this.waits.sleep(wait);
    }
    this.last.delete(channel);
    this.last.set(channel, this.waits.now().getTime());
    if (this.last.size > this.maxChannels) this.last.delete(this.last.keys().next().value!);
  }
}
