/** HTTP status → google.rpc.Code name, as Google APIs put it in `error.status`. */
const STATUS_NAMES: Record<number, string> = {
  400: "INVALID_ARGUMENT",
  401: "UNAUTHENTICATED",
  403: "PERMISSION_DENIED",
  404: "NOT_FOUND",
  409: "ABORTED",
  412: "FAILED_PRECONDITION",
  429: "RESOURCE_EXHAUSTED",
  499: "CANCELLED",
  500: "INTERNAL",
  501: "UNIMPLEMENTED",
  503: "UNAVAILABLE",
  504: "DEADLINE_EXCEEDED",
};

/** A call a Google API would refuse; answered as `{error: {code, message, status}}`. */
export class GcpError extends Error {
  constructor(
    readonly httpStatus: number,
    message: string,
    readonly details?: unknown[],
  ) {
    super(message);
    this.name = "GcpError";
  }
}

/** Google's JSON error body (https://cloud.google.com/apis/design/errors#http_mapping). */
export function gcpErrorBody(httpStatus: number, message: string, details?: unknown[]): unknown {
  return {
    error: {
      code: httpStatus,
      message,
      status: STATUS_NAMES[httpStatus] ?? "UNKNOWN",
      ...(details ? { details } : {}),
    },
  };
}

/** Answers a thrown GcpError with Google's body; rethrows anything else. */
export function gcpReply(err: unknown): { status: number; body: unknown } {
  if (err instanceof GcpError)
    return { status: err.httpStatus, body: gcpErrorBody(err.httpStatus, err.message, err.details) };
  throw err;
}
