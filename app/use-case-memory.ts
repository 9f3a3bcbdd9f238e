import { systemClock, type Clock } from "../core/clock.js";
import { KeyedLock } from "../core/keyed-lock.js";
import { CACHE_BOUNDS, LruCache } from "../core/lru-cache.js";
import type { MergeVerdict } from "./verify-merge.js";

/**
 * What the use cases remember, for one bot or CLI instance: created once with the instance's clock
 * and carried in the dependencies (never module state). Keys start with the repository ports' key
 * (API host, installation, repository).
 */
export class UseCaseMemory {
  /** One decision per pull request at a time: an older read never overwrites a newer decision. */
  readonly decisions = new KeyedLock();
  /** Merge refusals already commented, per head. */
  readonly refusals: LruCache<string>;
  /** Merge verdicts per merge commit (a commit never changes). */
  readonly verdicts: LruCache<MergeVerdict>;

  constructor(readonly clock: Clock = systemClock) {
    this.refusals = new LruCache(CACHE_BOUNDS.decidePull, Infinity, clock);
    this.verdicts = new LruCache(CACHE_BOUNDS.verifyMerge, Infinity, clock);
  }
}
