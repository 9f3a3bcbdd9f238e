import {
  compileTicketPattern,
  isRefusal,
  PATTERN_CACHE_BOUNDS,
  TicketPatternCache,
} from "../../core/compile-policy.js";
import { MAX_PROGRAM } from "../../core/linear-regex.js";

describe("compileTicketPattern", () => {
  it.each([
    ["^INC-[0-9]+$", undefined],
    ["(a", "policy.ticket-pattern"],
    ["a".repeat(257), "policy.ticket-pattern"],
    ["(?:[a-z]{100}){49}X", "ticket.pattern-too-large"],
  ])("%s -> %s", (pattern, code) => {
    const out = compileTicketPattern(pattern);
    expect(isRefusal(out) ? out.code : undefined).toBe(code);
  });
});

describe("TicketPatternCache", () => {
  it("compiles a pattern once and returns the same program while it is cached", () => {
    const cache = new TicketPatternCache();
    const a = cache.compile("^INC-[0-9]+$");
    expect(cache.compile("^INC-[0-9]+$")).toBe(a);
    expect(cache.size().entries).toBe(1);
  });

  it("evicts the least recently used pattern beyond its entry bound", () => {
    const cache = new TicketPatternCache({ entries: 2, steps: 1_000_000 });
    const a = cache.compile("^A$");
    cache.compile("^B$");
    cache.compile("^A$"); // A is now the most recent
    cache.compile("^C$"); // evicts B
    expect(cache.size().entries).toBe(2);
    expect(cache.compile("^A$")).toBe(a);
    const b = cache.compile("^B$");
    expect(cache.compile("^B$")).toBe(b);
  });

  it("stays within its step bound however many large patterns pass through it (a pushed policy per commit)", () => {
    const cache = new TicketPatternCache({ entries: 1000, steps: 5 * MAX_PROGRAM });
    for (let i = 0; i < 200; i++) cache.compile(`^(?:[a-z]{100}){19}${i}$`);
    const { entries, steps } = cache.size();
    expect(steps).toBeLessThanOrEqual(5 * MAX_PROGRAM);
    expect(entries).toBeLessThanOrEqual(5);
    expect(entries).toBeGreaterThan(0);
  });

  it("has default bounds of a few hundred patterns and a hundred full-size programs", () => {
    expect(PATTERN_CACHE_BOUNDS).toEqual({ entries: 256, steps: 100 * MAX_PROGRAM });
  });
});
