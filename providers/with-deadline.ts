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
