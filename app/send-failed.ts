/** A send that did not succeed: the last error, how many calls were made, and whether it was retried out. */
export class SendFailed extends Error {
  constructor(
    readonly attempts: number,
    readonly gaveUp: boolean,
    override readonly cause: unknown,
  ) {
    super(cause instanceof Error ? cause.message : String(cause));
  }
}
