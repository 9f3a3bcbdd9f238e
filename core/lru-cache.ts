import { systemClock, type Clock } from "./clock.js";

/** How much one cache may hold: entries, and estimated bytes (JSON size of the key and value). */
export interface CacheBounds {
  entries: number;
  bytes: number;
}

const MiB = 1024 * 1024;

/**
 * The bounds of every cache in the bot, in one place: the sum (about 80 MiB) is what caches can
 * take of the process's memory, whatever the payloads, repositories or request files.
 */
export const CACHE_BOUNDS = {
  /** Changed files (request contents included) and commits per PR head/base pair. */
  readPull: { entries: 256, bytes: 16 * MiB },
  /** Parsed base policy and CODEOWNERS per base commit. */
  readBase: { entries: 64, bytes: 16 * MiB },
  /** File contents and folder listings at a commit SHA. */
  readFile: { entries: 8192, bytes: 24 * MiB },
  /** Check run ids and digests per head SHA. */
  writeCheck: { entries: 1024, bytes: 1 * MiB },
  /** Sticky comment ids and bodies per PR. */
  stickyComment: { entries: 2048, bytes: 8 * MiB },
  /** Merge refusals already commented per head. */
  decidePull: { entries: 1024, bytes: 1 * MiB },
  /** Team members per team. */
  readDirectory: { entries: 512, bytes: 4 * MiB },
  /** Merge verdicts per merged PR. */
  verifyMerge: { entries: 10_000, bytes: 4 * MiB },
  /** The last commit of each merged request file. */
  readMergedRequests: { entries: 10_000, bytes: 4 * MiB },
  /** A policy change's rendered impact report per head and base (replaying history is costly). */
  impact: { entries: 256, bytes: 8 * MiB },
  /** Delivery ids already handled (redeliveries are ignored). */
  deliveries: { entries: 10_000, bytes: 1 * MiB },
} as const satisfies Record<string, CacheBounds>;

// Maps, sets and patterns have no JSON form of their own; count what they hold.
const replacer = (_key: string, value: unknown): unknown =>
  value instanceof Map || value instanceof Set
    ? [...value]
    : value instanceof RegExp
      ? value.source
      : typeof value === "bigint"
        ? String(value)
        : value;

/** Estimated size of a value in bytes: a string's length, otherwise the length of its JSON. */
export function estimateBytes(value: unknown): number {
  if (typeof value === "string") return value.length;
  try {
    return JSON.stringify(value, replacer)?.length ?? 8;
  } catch {
    // A cyclic value: count it as too big to keep rather than as free.
    return Number.MAX_SAFE_INTEGER;
  }
}

/** A least-recently-used map bounded in entries and estimated bytes, with optional expiry. */
export class LruCache<V> {
  private readonly map = new Map<string, { value: V; expires: number; bytes: number }>();
  private total = 0;

  constructor(
    private readonly bounds: CacheBounds,
    private readonly ttlMs = Infinity,
    private readonly clock: Clock = systemClock,
    private readonly sizeOf: (value: V) => number = estimateBytes,
  ) {}

  /** The cached value, or undefined when absent or expired. */
  get(key: string): V | undefined {
    const hit = this.map.get(key);
    if (!hit) return undefined;
    if (hit.expires <= this.clock().getTime()) {
      this.delete(key);
      return undefined;
    }
    this.map.delete(key);
    this.map.set(key, hit);
    return hit.value;
  }

  /** Stores a value, evicting the least recently used beyond the bounds; a value bigger than the whole cache is not kept. */
  set(key: string, value: V): void {
    this.delete(key);
    const bytes = key.length + this.sizeOf(value);
    if (bytes > this.bounds.bytes) return;
    this.map.set(key, { value, expires: this.clock().getTime() + this.ttlMs, bytes });
    this.total += bytes;
    while (this.map.size > this.bounds.entries || this.total > this.bounds.bytes)
      this.delete(this.map.keys().next().value as string);
  }

  /** Forgets a key. */
  delete(key: string): void {
    const hit = this.map.get(key);
    if (!hit) return;
    this.map.delete(key);
    this.total -= hit.bytes;
  }

  /** Whether the key was present and unexpired. */
  has(key: string): boolean {
    return this.get(key) !== undefined;
  }

  /** How many entries and estimated bytes it holds now. */
  size(): { entries: number; bytes: number } {
    return { entries: this.map.size, bytes: this.total };
  }
}
