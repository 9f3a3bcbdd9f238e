/** Socket and DNS error codes, in words a user recognises. */
const CODES: Record<string, string> = {
  ECONNREFUSED: "connection refused",
  ECONNRESET: "connection reset",
  ENOTFOUND: "host not found",
  EAI_AGAIN: "host name lookup failed",
  ETIMEDOUT: "connection timed out",
  EHOSTUNREACH: "host unreachable",
  ENETUNREACH: "network unreachable",
  EPIPE: "connection closed",
  UND_ERR_CONNECT_TIMEOUT: "connection timed out",
  UND_ERR_SOCKET: "connection closed",
  UND_ERR_HEADERS_TIMEOUT: "no answer in time",
  CERT_HAS_EXPIRED: "its TLS certificate has expired",
  DEPTH_ZERO_SELF_SIGNED_CERT: "its TLS certificate is self-signed",
  SELF_SIGNED_CERT_IN_CHAIN: "its TLS certificate chain is not trusted",
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: "its TLS certificate could not be verified",
  ERR_TLS_CERT_ALTNAME_INVALID: "its TLS certificate does not name it",
};

/**
 * Why a request got no HTTP answer (refused, reset, unknown host, TLS), read from the error or the
 * causes it wraps (fetch's `TypeError: fetch failed`, an AggregateError of both address families,
 * a client library's wrapper); undefined when the error is not a network failure.
 */
export function networkCause(e: unknown, depth = 0): string | undefined {
  if (depth > 5 || typeof e !== "object" || e === null) return undefined;
  const err = e as { code?: unknown; errno?: unknown; cause?: unknown; errors?: unknown; name?: unknown };
  for (const c of [err.code, err.errno]) if (typeof c === "string" && CODES[c]) return CODES[c];
  if (err.name === "TimeoutError") {
    // A deadline of ours says how long it waited; the platform's own says only "aborted due to timeout".
    const m = (e as { message?: unknown }).message;
    return typeof m === "string" && m.startsWith("no answer") ? m : "no answer in time";
  }
  const inner = [err.cause, ...(Array.isArray(err.errors) ? err.errors : [])];
  for (const i of inner) {
    const found = networkCause(i, depth + 1);
    if (found) return found;
  }
  return undefined;
}
