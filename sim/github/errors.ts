/** A request GitHub would refuse; REST answers `status` with `{message, documentation_url}`. */
export class SimRequestError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly errors?: unknown[],
  ) {
    super(message);
    this.name = "SimRequestError";
  }
}

/** Throws a 404 unless the value is present. */
export function found<T>(value: T | undefined | null, what: string): T {
  if (value === undefined || value === null)
    throw new SimRequestError(404, "Not Found", [{ resource: what, code: "missing" }]);
  return value;
}
