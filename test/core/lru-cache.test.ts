import { CACHE_BOUNDS, estimateBytes, LruCache } from "../../core/lru-cache.js";

describe("LruCache", () => {
  test("evicts the least recently used beyond the entry bound", () => {
    const c = new LruCache<number>({ entries: 2, bytes: 1_000 });
    c.set("a", 1);
    c.set("b", 2);
    expect(c.get("a")).toBe(1); // a is now the most recent
    c.set("c", 3);
    expect([c.has("a"), c.has("b"), c.has("c")]).toEqual([true, false, true]);
  });

  test("evicts the least recently used beyond the byte bound", () => {
    const c = new LruCache<string>({ entries: 100, bytes: 25 });
    c.set("a", "x".repeat(10)); // 11 bytes with its key
    c.set("b", "y".repeat(10)); // 22
    c.set("c", "z".repeat(10)); // 33 > 25: a goes
    expect([c.has("a"), c.has("b"), c.has("c")]).toEqual([false, true, true]);
    expect(c.size()).toEqual({ entries: 2, bytes: 22 });
  });

  test("a value bigger than the whole cache is not kept and evicts nothing", () => {
    const c = new LruCache<string>({ entries: 100, bytes: 50 });
    c.set("a", "small");
    c.set("big", "x".repeat(100));
    expect([c.has("a"), c.has("big")]).toEqual([true, false]);
  });

  test("replacing or deleting a key gives its bytes back", () => {
    const c = new LruCache<string>({ entries: 100, bytes: 1_000 });
    c.set("k", "x".repeat(100));
    c.set("k", "x".repeat(10));
    expect(c.size()).toEqual({ entries: 1, bytes: 11 });
    c.delete("k");
    expect(c.size()).toEqual({ entries: 0, bytes: 0 });
  });

  test("expired entries are gone", () => {
    let t = 0;
    const c = new LruCache<number>({ entries: 10, bytes: 1_000 }, 100, () => new Date(t));
    c.set("a", 1);
    t = 99;
    expect(c.get("a")).toBe(1);
    t = 100;
    expect(c.get("a")).toBeUndefined();
    expect(c.size().entries).toBe(0);
  });

  test("estimates strings by length and objects by JSON, counting maps, sets and patterns", () => {
    expect(estimateBytes("abcd")).toBe(4);
    expect(estimateBytes({ a: 1 })).toBe('{"a":1}'.length);
    expect(estimateBytes(new Map([["k", "v".repeat(50)]]))).toBeGreaterThan(50);
    expect(estimateBytes(new Set(["v".repeat(50)]))).toBeGreaterThan(50);
    expect(estimateBytes(/a{1000}/)).toBeGreaterThan(5);
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(estimateBytes(cyclic)).toBe(Number.MAX_SAFE_INTEGER);
  });

  test("invariant: every cache of the bot is bounded in entries and bytes, together under 100 MiB", () => {
    const all = Object.values(CACHE_BOUNDS);
    for (const b of all) {
      expect(Number.isFinite(b.entries) && b.entries > 0).toBe(true);
      expect(Number.isFinite(b.bytes) && b.bytes > 0).toBe(true);
    }
    expect(all.reduce((n, b) => n + b.bytes, 0)).toBeLessThan(100 * 1024 * 1024);
  });
});
