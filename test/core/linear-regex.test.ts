import fc from "fast-check";
import { compileLinear, MAX_GROUP_DEPTH, MAX_PROGRAM, PatternError } from "../../core/linear-regex.js";

describe("compileLinear", () => {
  it.each([
    ["^INC-[0-9]+$", "INC-1234", true],
    ["^INC-[0-9]+$", "INC-", false],
    ["^INC-[0-9]+$", "xINC-1", false],
    ["^(INC|CHG)-[0-9]+$", "CHG-42", true],
    ["^(?:INC|CHG)-\\d{2,4}$", "INC-12345", false],
    ["INC", "see INC-1", true],
    ["^[A-Z][A-Z0-9_]*-\\d+$", "OPS_2-7", true],
    ["^[^-]+-\\w+$", "a-b_c", true],
    ["a.c", "a\nc", false],
    ["colou?r", "color", true],
    ["x{3}", "xx", false],
    ["^$", "", true],
    ["[\\]a]", "]", true],
    ["\\.", "a", false],
  ])("%s on %j is %s", (pattern, input, expected) => {
    expect(compileLinear(pattern).test(input)).toBe(expected);
  });

  it.each([
    ["(a", 'missing ")"'],
    ["a)", 'unexpected ")"'],
    ["(a)\\1", "no backreferences"],
    ["(?=a)", "lookaround"],
    ["*a", "nothing to repeat"],
    ["[a", 'missing "]"'],
    ["[z-a]", "backwards"],
    ["a{101}", "repetition over 100"],
    ["(a{100}){100}", "expands beyond"],
  ])("refuses %s, saying why", (pattern, why) => {
    expect(() => compileLinear(pattern)).toThrow(PatternError);
    expect(() => compileLinear(pattern)).toThrow(why);
  });

  it("stays linear on patterns that make backtracking engines explode", () => {
    const evil = compileLinear("^(a+)+$");
    const t = process.hrtime.bigint();
    expect(evil.test(`${"a".repeat(5000)}!`)).toBe(false);
    expect(compileLinear("^(a|a)*b").test("a".repeat(5000))).toBe(false);
    // A count, not a time budget: the run finished at all (a backtracking engine would not).
    expect(Number(process.hrtime.bigint() - t)).toBeGreaterThan(0);
  });

  it("agrees with RegExp on random patterns of the supported subset", () => {
    const atom = fc.oneof(
      fc.constantFrom("a", "b", "-", ".", "\\d", "\\w", "[ab]", "[^a]", "[0-9]", "[a-c]"),
      fc.constantFrom("1", "x"),
    );
    const quant = fc.constantFrom("", "", "*", "+", "?", "{2}", "{1,2}", "{0,}");
    const piece = fc.tuple(atom, quant).map(([a, q]) => a + q);
    const seq = fc.array(piece, { minLength: 1, maxLength: 4 }).map((p) => p.join(""));
    const group = fc.tuple(seq, seq, quant).map(([x, y, q]) => `(${x}|${y})${q}`);
    const pattern = fc
      .tuple(
        fc.constantFrom("", "^"),
        fc.array(fc.oneof(seq, group), { minLength: 1, maxLength: 3 }),
        fc.constantFrom("", "$"),
      )
      .map(([b, body, e]) => b + body.join("") + e);
    const input = fc.stringMatching(/^[ab1x-]{0,8}$/);
    fc.assert(
      fc.property(pattern, input, (p, s) => {
        expect(compileLinear(p).test(s)).toBe(new RegExp(p).test(s));
      }),
      { numRuns: 3000 },
    );
  });
});

describe("compileLinear by code point", () => {
  // Parser and matcher both read code points, like RegExp with the `u` flag.
  it.each([
    ["^😀-[0-9]+$", "😀-1", true],
    ["^😀-[0-9]+$", "😀-", false],
    ["^.$", "😀", true],
    ["^..$", "😀", false],
    ["^[😀😁]+$", "😁😀", true],
    ["^[😀-😂]$", "😁", true],
    ["^[😀-😂]$", "😃", false],
    ["^[^😀]$", "😁", true],
    ["^[^😀]$", "😀", false],
    ["^[\uE000-😀]$", "\uFFFD", true],
    ["^é{2}$", "éé", true],
    ["^😀{2}$", "😀😀", true],
    ["^x.y$", "x\ry", false],
    ["^x.y$", "x\u2028y", false],
  ])("%s on %j is %s", (pattern, input, expected) => {
    expect(compileLinear(pattern).test(input)).toBe(expected);
    expect(new RegExp(pattern, "u").test(input)).toBe(expected);
  });

  it("agrees with RegExp (u flag) on random patterns and inputs with astral characters", () => {
    const atom = fc.constantFrom("a", "😀", "é", ".", "[a😀]", "[^😀]", "[😀-😂]", "\\w");
    const quant = fc.constantFrom("", "*", "+", "?", "{2}", "{1,2}");
    const piece = fc.tuple(atom, quant).map(([a, q]) => a + q);
    const pattern = fc
      .tuple(
        fc.constantFrom("", "^"),
        fc.array(piece, { minLength: 1, maxLength: 4 }),
        fc.constantFrom("", "$"),
      )
      .map(([b, body, e]) => b + body.join("") + e);
    const input = fc
      .array(fc.constantFrom("a", "😀", "😁", "😃", "é", "b", "\n"), { maxLength: 6 })
      .map((cs) => cs.join(""));
    fc.assert(
      fc.property(pattern, input, (p, s) => {
        expect(compileLinear(p).test(s)).toBe(new RegExp(p, "u").test(s));
      }),
      { numRuns: 2000 },
    );
  });
});

describe("compileLinear program size", () => {
  it(`accepts a program of up to ${MAX_PROGRAM} steps and refuses one step more, as too large`, () => {
    // [a-z]{100} is 100 steps; 19 of them plus one literal and the final match fit.
    expect(compileLinear("(?:[a-z]{100}){19}X").size).toBe(1902);
    const refuse = (p: string) => {
      try {
        compileLinear(p);
      } catch (e) {
        return e;
      }
      return undefined;
    };
    const e = refuse("(?:[a-z]{100}){49}X");
    expect(e).toBeInstanceOf(PatternError);
    expect((e as PatternError).kind).toBe("too-large");
    expect((e as PatternError).message).toBe(
      "the pattern expands beyond 2000 steps (a counted repetition is written out: (?:[a-z]{100}){49} is 4900 steps); use smaller counts, or + and *",
    );
    expect((refuse("(a") as PatternError).kind).toBe("syntax");
  });

  it(`refuses groups nested deeper than ${MAX_GROUP_DEPTH}`, () => {
    expect(() =>
      compileLinear(`${"(".repeat(MAX_GROUP_DEPTH)}a${")".repeat(MAX_GROUP_DEPTH)}`),
    ).not.toThrow();
    expect(() =>
      compileLinear(`${"(".repeat(MAX_GROUP_DEPTH + 1)}a${")".repeat(MAX_GROUP_DEPTH + 1)}`),
    ).toThrow(`groups nested deeper than ${MAX_GROUP_DEPTH} at position ${MAX_GROUP_DEPTH + 1}`);
  });

  it("matches a program of chained optional steps without recursing per step", () => {
    // 900 splits in a row: the matcher follows them with an explicit stack.
    const p = compileLinear("^(?:(?:a?){100}){9}$");
    expect(p.test("a".repeat(900))).toBe(true);
    expect(p.test("a".repeat(901))).toBe(false);
  });
});
