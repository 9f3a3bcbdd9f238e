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

/** A call Google would refuse; answered as `{error: {code, message, status}}`. */
export class GcpError extends Error {
  constructor(
    readonly httpStatus: number,
    message: string,
    readonly grpcStatus: string = STATUS_NAMES[httpStatus] ?? "UNKNOWN",
  ) {
    super(message);
    this.name = "GcpError";
  }
}

/**
 * Google's JSON error body.
 * Shape: https://cloud.google.com/apis/design/errors#http_mapping
 */
export function gcpErrorBody(httpStatus: number, message: string, grpcStatus?: string): unknown {
  return {
    error: { code: httpStatus, message, status: grpcStatus ?? STATUS_NAMES[httpStatus] ?? "UNKNOWN" },
  };
}
