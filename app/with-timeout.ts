/** A cloud call that did not answer in time: reported like a failure, retried by the next reconcile. */
export class CallTimeoutError extends Error {}

/**
 * Bounds a cloud call: a hung provider must not hold a reconcile (and the sweeps queued behind it)
 * forever. The call itself may still finish later; every provider write is idempotent, so the next
 * reconcile converges either way.
 */
export async function withTimeout<T>(what: string, ms: number, call: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new CallTimeoutError(
            `${what} did not answer within ${ms < 1000 ? `${ms} ms` : `${Math.round(ms / 1000)} s`}`,
          ),
        ),
      ms,
    );
  });
  try {
    return await Promise.race([call, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
