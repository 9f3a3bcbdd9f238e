/**
 * A fetch that gives up when the response headers have not arrived within `ms`: a host that accepts
 * connections and never answers (a black hole, a dead proxy) otherwise holds a request for minutes.
 * Only the wait for the answer is bounded; a body that is streaming is left to finish. The caller's
 * own signal still aborts as before. The rejection is a `TimeoutError` DOMException.
 */
export function deadlineFetch(ms: number, base: typeof fetch = globalThis.fetch): typeof fetch {
  return async (input, init = {}) => {
    // A controller and a timer, not AbortSignal.timeout/any: Node may collect those mid-request.
    const deadline = new AbortController();
    const timer = setTimeout(
      () => deadline.abort(new DOMException(`no answer within ${inWords(ms)}`, "TimeoutError")),
      ms,
    );
    const outer = init.signal;
    const forward = () => deadline.abort(outer?.reason);
    if (outer?.aborted) forward();
    else outer?.addEventListener("abort", forward);
    try {
      return await base(input, { ...init, signal: deadline.signal });
    } finally {
      clearTimeout(timer);
      outer?.removeEventListener("abort", forward);
    }
  };
}

/** `800 ms`, `10 s`. */
export function inWords(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${Math.round(ms / 100) / 10} s`;
}
