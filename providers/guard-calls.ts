import { cloudFailure, type CloudTarget } from "./cloud-failure.js";
import { DEFAULT_DEADLINE_MS, noAnswerWithin, withDeadline } from "./with-deadline.js";

/**
 * Wraps every method of a cloud client so each call fails within `ms` when the host does not
 * answer, and its failures (no answer, 401/403, 429/5xx) become RemoteErrors naming the host, the
 * setting that chose it and the principal (`cloudFailure`). Other answers (404, 409, 422) pass
 * unchanged: the providers read them. Retries wrap the guarded client, so each attempt is bounded.
 */
export function guardCalls<T extends object>(
  client: T,
  target: (method: string, args: unknown[]) => CloudTarget,
  ms: number = DEFAULT_DEADLINE_MS,
): T {
  const guarded: Record<string, unknown> = {};
  for (const [name, fn] of Object.entries(client)) {
    guarded[name] =
      typeof fn === "function"
        ? (...args: unknown[]) =>
            withDeadline(
              ms,
              () => (fn as (...a: unknown[]) => Promise<unknown>).apply(client, args),
              () => noAnswerWithin(ms),
            ).catch((e: unknown) => {
              throw cloudFailure(target(name, args), e);
            })
        : fn;
  }
  return guarded as T;
}
