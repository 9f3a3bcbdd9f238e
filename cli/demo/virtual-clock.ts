import type { Clock } from "../../core/clock.js";

/** An accelerated clock: it stands still until advanced, so a four-hour grant expires in a moment. */
export interface VirtualClock {
  now: Clock;
  advance(ms: number): void;
  /** Milliseconds since the clock started. */
  elapsed(): number;
}

/** A virtual clock starting at `start`. */
export function virtualClock(start: Date): VirtualClock {
  let t = start.getTime();
  return {
    now: () => new Date(t),
    advance: (ms) => void (t += ms),
    elapsed: () => t - start.getTime(),
  };
}
