import fc from "fast-check";
import { compileLinear, PatternError } from "../../core/linear-regex.js";

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
