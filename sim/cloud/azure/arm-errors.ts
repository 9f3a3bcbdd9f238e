/** A call ARM would refuse; answered as `{error: {code, message}}`. */
export class ArmError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = "ArmError";
  }
}

/**
 * ARM's error body (CloudError).
 * Shape: https://github.com/Azure/azure-resource-manager-rpc/blob/master/v1.0/common-api-details.md#error-response-content
 */
export function armErrorBody(code: string, message: string): unknown {
  return { error: { code, message } };
}
