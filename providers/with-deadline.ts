/** How long a cloud call may wait for an answer before it fails, naming the host (at most 10 s). */
export const DEFAULT_DEADLINE_MS = 10_000;

/**
 * Runs `call` with a signal that aborts after `ms`, and rejects with `late()` at that moment
 * whether or not the client honours the signal: some SDK clients take no signal, and a black-holed
 * host must still be reported in time. Clients that do take it also drop the dead connection.
 */
export async function withDeadline<T>(
  ms: number,
  call: (signal: AbortSignal) => Promise<T>,
  late: () => Error,
): Promise<T> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const e = late();
      controller.abort(e);
      reject(e);
    }, ms);
  });
  try {
    return await Promise.race([call(controller.signal), deadline]);
  } finally {
    clearTimeout(timer);
  }
}

/** The error of a call that got no answer within `ms` (what `networkCause` reads as a timeout). */
export function noAnswerWithin(ms: number): DOMException {
  return new DOMException(
    `no answer within ${ms < 1000 ? `${ms} ms` : `${Math.round(ms / 100) / 10} s`}`,
    "TimeoutError",
  );
}

/** How long after a deadline's report a client's own abort closes the dead connection. */
export const CLEANUP_GRACE_MS = 1_000;

/**
 * Runs `send` with a signal that aborts a little after the deadline (or when `outer` aborts): the
 * deadline reports in its own words, then this closes the socket a black-holed host holds, so a
 * CLI can exit. A controller and a timer, not `AbortSignal.timeout`/`any`: Node may collect those
 * while the request waits, and then they never fire.
 */
export async function abortLate<T>(
  deadlineMs: number,
  send: (signal: AbortSignal) => Promise<T>,
  outer?: {
    aborted: boolean;
    reason?: unknown;
    addEventListener(t: "abort", f: () => void): void;
    removeEventListener(t: "abort", f: () => void): void;
  } | null,
): Promise<T> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(noAnswerWithin(deadlineMs)), deadlineMs + CLEANUP_GRACE_MS);
  const forward = () => controller.abort(outer?.reason);
  if (outer?.aborted) forward();
  else outer?.addEventListener("abort", forward);
  try {
    return await send(controller.signal);
  } finally {
    clearTimeout(timer);
    outer?.removeEventListener("abort", forward);
  }
}

/**
 * A signal that aborts a little after the deadline, for clients that take a signal per request
 * but no wrapper around it (client-node middleware); `settle` clears its timer once answered.
 */
export function lateSignal(deadlineMs: number): { signal: AbortSignal; settle(): void } {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(noAnswerWithin(deadlineMs)), deadlineMs + CLEANUP_GRACE_MS);
  return { signal: controller.signal, settle: () => clearTimeout(timer) };
}
