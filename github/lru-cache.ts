/** A small least-recently-used map with optional expiry, for per-SHA and per-team caches. */
export class LruCache<V> {
  private readonly map = new Map<string, { value: V; expires: number }>();

  constructor(
    private readonly max: number,
    private readonly ttlMs = Infinity,
    private readonly now: () => number = Date.now,
  ) {}

  /** The cached value, or undefined when absent or expired. */
  get(key: string): V | undefined {
    const hit = this.map.get(key);
    if (!hit) return undefined;
    if (hit.expires <= this.now()) {
      this.map.delete(key);
      return undefined;
    }
    this.map.delete(key);
    this.map.set(key, hit);
    return hit.value;
  }

  /** Stores a value, evicting the least recently used beyond `max`. */
  set(key: string, value: V): void {
    this.map.delete(key);
    this.map.set(key, { value, expires: this.now() + this.ttlMs });
    while (this.map.size > this.max) this.map.delete(this.map.keys().next().value as string);
  }

  /** Forgets a key. */
  delete(key: string): void {
    this.map.delete(key);
  }

  /** Whether the key was present and unexpired. */
  has(key: string): boolean {
    return this.get(key) !== undefined;
  }
}
