/** Reasons the API server puts in a failure Status, by HTTP status. */
const REASONS: Record<number, string> = {
  400: "BadRequest",
  401: "Unauthorized",
  403: "Forbidden",
  404: "NotFound",
  405: "MethodNotAllowed",
  409: "Conflict",
  422: "Invalid",
  429: "TooManyRequests",
  500: "InternalError",
  503: "ServiceUnavailable",
  504: "Timeout",
};

/** Details of a Status: the object concerned and, for 422, the invalid fields. */
export interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
  uid?: string;
  causes?: { reason: string; message: string; field: string }[];
}

/** A call the API server would refuse; answered as a `Status` object. */
export class K8sError extends Error {
  constructor(
    readonly code: number,
    message: string,
    readonly reason: string = REASONS[code] ?? "Unknown",
    readonly details?: StatusDetails,
  ) {
    super(message);
    this.name = "K8sError";
  }
}

/**
 * A `Status` object (meta/v1).
 * Shape: https://kubernetes.io/docs/reference/kubernetes-api/common-definitions/status/
 */
export function statusBody(code: number, message: string, reason?: string, details?: StatusDetails): unknown {
  return {
    kind: "Status",
    apiVersion: "v1",
    metadata: {},
    status: code < 400 ? "Success" : "Failure",
    ...(code < 400 ? {} : { message, reason: reason ?? REASONS[code] ?? "Unknown" }),
    ...(details ? { details } : {}),
    ...(code < 400 ? {} : { code }),
  };
}
