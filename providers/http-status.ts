/**
 * The HTTP status a cloud SDK's error carries, wherever that SDK keeps it: `status` (gaxios, fetch
 * wrappers), `statusCode` (Azure's RestError), `response.status` or `response.statusCode`, or
 * `code` (Kubernetes client-node's ApiException; gaxios may give a string such as "404"). A number
 * outside 100–599 is not an HTTP status (a gRPC code such as 14, UNAVAILABLE), so the search goes
 * on past it, and `code` is read last for that reason. Undefined when the error carries none.
 */
export function httpStatusOf(e: unknown): number | undefined {
  const err = e as
    | {
        status?: unknown;
        statusCode?: unknown;
        code?: unknown;
        response?: { status?: unknown; statusCode?: unknown };
      }
    | null
    | undefined;
  for (const v of [
    err?.status,
    err?.statusCode,
    err?.response?.status,
    err?.response?.statusCode,
    err?.code,
  ]) {
    const n = typeof v === "string" && /^\d{3}$/.test(v) ? Number(v) : v;
    if (typeof n === "number" && n >= 100 && n < 600) return n;
  }
  return undefined;
}
