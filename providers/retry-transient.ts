import { httpStatusOf } from "./http-status.js";

/** HTTP statuses worth retrying: rate limits and server-side failures. */
const TRANSIENT = new Set([429, 500, 502, 503, 504]);

function retryAfterMs(e: unknown): number | undefined {
  const err = e as { response?: { headers?: unknown }; headers?: unknown };
  for (const h of [err.response?.headers, err.headers]) {
    const raw =
      h && typeof (h as { get?: unknown }).get === "function"
        ? (h as { get(k: string): string | null }).get("retry-after")
        : (h as Record<string, string> | undefined)?.["retry-after"];
    const seconds = Number(raw);
    if (raw && Number.isFinite(seconds)) return seconds * 1000;
  }
  return undefined;
}

/** Retry settings: attempts in all, base back-off, and the longest wait honoured from Retry-After. */
export interface RetryOptions {
  attempts: number;
  baseMs: number;
  maxWaitMs: number;
}

/** Three attempts, 200 ms doubling, Retry-After honoured up to 5 s. */
export const DEFAULT_RETRY: RetryOptions = { attempts: 3, baseMs: 200, maxWaitMs: 5000 };

/**
 * Runs a cloud call, retrying rate limits (429, honouring Retry-After) and 5xx a bounded number of
 * times. Written here because the GCP and Kubernetes clients do not retry non-idempotent writes;
 * every jitops write is idempotent, so a retry is safe. Other errors are thrown at once.
 */
export async function retryTransient<T>(
  call: () => Promise<T>,
  opts: RetryOptions = DEFAULT_RETRY,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (e) {
      const status = httpStatusOf(e);
      if (attempt >= opts.attempts || status === undefined || !TRANSIENT.has(status)) throw e;
      const wait = Math.min(retryAfterMs(e) ?? opts.baseMs * 2 ** (attempt - 1), opts.maxWaitMs);
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
  }
}
