/**
 * The one clock type of jitops: what time it is now. Use cases, adapters and caches take a Clock
 * in their dependencies (never `Date.now()` directly), so tests and the demo can move time.
 */
export type Clock = () => Date;

/** The machine's clock. */
export const systemClock: Clock = () => new Date();
