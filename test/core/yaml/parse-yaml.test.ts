import { MAX_ERRORS_PER_FILE } from "../../../core/cap-errors.js";
import { MAX_BYTES, MAX_DEPTH, parseYaml } from "../../../core/yaml/parse-yaml.js";

describe("parseYaml", () => {
  it("parses a plain mapping and records the position of every value and key", () => {
    const r = parseYaml("a: 1\nb:\n  c: [x, y]\n");
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.data).toEqual({ a: 1, b: { c: ["x", "y"] } });
    expect(r.value.spans.get("/b/c")).toEqual({ key: { line: 3, column: 3 }, value: { line: 3, column: 6 } });
    expect(r.value.spans.get("/b/c/1")).toEqual({ value: { line: 3, column: 10 } });
  });

  it("uses the YAML 1.2 core schema: no sexagesimal, yes/no or timestamps", () => {
    const r = parseYaml("a: yes\nb: 2026-11-25T09:00:00Z\nc: 1:30\n");
    expect(r.ok && r.value.data).toEqual({ a: "yes", b: "2026-11-25T09:00:00Z", c: "1:30" });
  });

  // Security invariant: YAML is parsed safely; errors carry line and column.
  it.each([
    ["syntax error", "a: [1, 2\nb: 3\n", "yaml.syntax", 2, 1],
    ["duplicate key points at the second key", "a: 1\nb: 2\na: 3\n", "yaml.duplicate-key", 3, 1],
    ["alias", "a: &x 1\nb: *x\n", "yaml.alias", 1, 4],
    ["alias use", "a: 1\nb: *x\n", "yaml.alias", 2, 4],
    ["anchor alone", "a: &x 1\n", "yaml.alias", 1, 4],
    ["explicit core tag", "a: !!str 1\n", "yaml.tag", 1, 4],
    ["custom tag", "a: !secret x\n", "yaml.tag", 1, 4],
    ["merge key", "a: 1\n<<: {b: 2}\n", "yaml.merge-key", 2, 1],
    ["__proto__ key", "a:\n  __proto__: {polluted: true}\n", "yaml.forbidden-key", 2, 3],
    ["constructor key", "constructor: 1\n", "yaml.forbidden-key", 1, 1],
    ["prototype key", "x:\n  - prototype: 1\n", "yaml.forbidden-key", 2, 5],
    ["%YAML directive", "%YAML 1.2\n---\na: 1\n", "yaml.directive", 1, 1],
    ["%TAG directive", "%TAG !e! tag:example.com,2000:\n---\na: 1\n", "yaml.directive", 1, 1],
    ["two documents", "a: 1\n---\nb: 2\n", "yaml.multi-document", 2, 1],
    ["complex key", "? [a, b]\n: 1\n", "yaml.complex-key", 1, 3],
  ])("invariant: YAML is parsed safely: rejects %s", (_name, source, code, line, column) => {
    const r = parseYaml(source);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    const e = r.errors.find((x) => x.code === code);
    expect(e).toBeDefined();
    expect([e!.line, e!.column]).toEqual([line, column]);
    expect(e!.message.length).toBeGreaterThan(10);
  });

  it("rejects documents over 64 KiB", () => {
    const r = parseYaml(`a: "${"x".repeat(MAX_BYTES)}"\n`);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors[0]).toMatchObject({ code: "yaml.too-large", line: 1, column: 1 });
  });

  it("rejects nesting deeper than 32 and accepts 32", () => {
    const nest = (n: number) => `${"[".repeat(n)}1${"]".repeat(n)}`;
    expect(parseYaml(`a: ${nest(31)}\n`).ok).toBe(true);
    const r = parseYaml(`a: ${nest(40)}\n`);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors[0]).toMatchObject({ code: "yaml.too-deep", line: 1 });
  });

  it("never lets a __proto__ key reach the prototype chain", () => {
    const r = parseYaml("__proto__:\n  polluted: true\n");
    expect(r.ok).toBe(false);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it("treats an empty file as a syntax error at 1:1", () => {
    const r = parseYaml("");
    expect(r.ok).toBe(false);
  });
});

describe("parseYaml on hostile input", () => {
  const nested: [string, string, number, number][] = [
    // name, source, line and column of the first collection past MAX_DEPTH (level 33)
    ["flow lists, 10,000 deep", `a: ${"[".repeat(10_000)}${"]".repeat(10_000)}\n`, 1, 35],
    ["flow mappings, 10,000 deep", `a: ${"{a: ".repeat(10_000)}${"}".repeat(10_000)}\n`, 1, 4 + 4 * 31],
    ["unclosed flow lists", `a: ${"[".repeat(20_000)}\n`, 1, 35],
    ["compact mappings (name: c: c: … x), 6 KB", `name: ${"c: ".repeat(2000)}x\n`, 1, 7 + 3 * 31],
    ["compact lists (- - - …)", `${"- ".repeat(10_000)}1\n`, 1, 1 + 2 * 32],
    [
      "block mappings, one level per line",
      Array.from({ length: 300 }, (_, i) => `${" ".repeat(i)}a:`).join("\n") + " 1\n",
      33,
      33,
    ],
  ];
  it.each(nested)(
    "invariant: deeply nested YAML is refused with a position, never a stack overflow: %s",
    (_name, source, line, column) => {
      const r = parseYaml(source);
      expect(r).toEqual({
        ok: false,
        errors: [
          {
            line,
            column,
            code: "yaml.too-deep",
            message: `nesting deeper than ${MAX_DEPTH} levels of mappings and lists is not accepted; this value is at level 33`,
          },
        ],
      });
    },
  );

  it("accepts nesting of exactly MAX_DEPTH levels, block and flow", () => {
    const block = Array.from({ length: MAX_DEPTH }, (_, i) => `${"  ".repeat(i)}k${i}:`).join("\n") + " 1\n";
    expect(parseYaml(block).ok).toBe(true);
    expect(parseYaml(block.replace(/ 1\n$/, " [1]\n")).ok).toBe(false);
  });

  // Positions point at what the user wrote, not at the value the library attaches it to.
  it.each([
    [
      "an anchor on its own line before a mapping",
      "apiVersion: jitops.dev/v1\nkind: AccessRequest\nmetadata:\n  name: x\nspec: &s\n  entitlement: e\n",
      5,
      7,
      "yaml.alias",
      "anchor &s is not accepted; anchors and aliases are not supported",
    ],
    [
      "a tag on its own line before a list",
      "a: !!seq\n  - 1\n",
      1,
      4,
      "yaml.tag",
      "tag !!seq is not accepted; write plain values without tags",
    ],
    [
      "an anchor on a key",
      "&k a: 1\n",
      1,
      1,
      "yaml.alias",
      "anchor &k is not accepted; anchors and aliases are not supported",
    ],
    [
      "an alias inside a flow list",
      "a: [x, *y]\n",
      1,
      8,
      "yaml.alias",
      "alias *y is not accepted; write the value out in full",
    ],
    [
      "a line indented deeper than its sibling keys (line 7)",
      "apiVersion: jitops.dev/v1\nkind: AccessRequest\nmetadata:\n  name: x\nspec:\n  entitlement: prod-db-reader\n   duration: 4h\n",
      7,
      4,
      "yaml.syntax",
      "YAML syntax error: line 7 is indented deeper than the keys above it, so it continues the value on line 6 instead of starting a key; indent it like its sibling keys (or quote a value that spans lines)",
    ],
    [
      "a quote never closed is reported where it opens",
      "a: 'x\nb: 2\n",
      1,
      4,
      "yaml.syntax",
      "YAML syntax error: the value quoted with ' here is never closed; add the closing '",
    ],
    [
      "a double quote never closed",
      'a: 1\nb: "x\nc: 2\n',
      2,
      4,
      "yaml.syntax",
      'YAML syntax error: the value quoted with " here is never closed; add the closing "',
    ],
    [
      "a duplicate key, found with a set (the library's check is quadratic)",
      "a: 1\nb: 2\n'a': 3\n",
      3,
      1,
      "yaml.duplicate-key",
      "duplicate key; each key may appear once in a mapping",
    ],
  ])("reports %s where it was written", (_name, source, line, column, code, message) => {
    const r = parseYaml(source);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors).toEqual([{ line, column, code, message }]);
  });

  it("parses 64 KiB of distinct keys, and finds the one duplicate among them", () => {
    const keys = Array.from({ length: 6000 }, (_, i) => `k${i}: 1`);
    expect(parseYaml(keys.join("\n")).ok).toBe(true);
    const r = parseYaml([...keys, "k4321: 2"].join("\n"));
    expect(!r.ok && r.errors).toEqual([
      {
        line: 6001,
        column: 1,
        code: "yaml.duplicate-key",
        message: "duplicate key; each key may appear once in a mapping",
      },
    ]);
  });

  it("invariant: errors per file are capped: 6,500 aliases give 50 errors and a count of the rest", () => {
    const source = `a: &a x\n${Array.from({ length: 6500 }, (_, i) => `b${i}: *a`).join("\n")}\n`;
    const r = parseYaml(source);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors).toHaveLength(MAX_ERRORS_PER_FILE + 1);
    expect(r.errors[MAX_ERRORS_PER_FILE]).toEqual({
      line: 51,
      column: 6,
      code: "errors.truncated",
      message:
        "6451 more errors not shown (at most 50 are reported per file); fix the ones above and validate again",
    });
  });

  it("keeps __proto__, constructor and prototype keys off every object, at any depth", () => {
    for (const key of ["__proto__", "constructor", "prototype"]) {
      const r = parseYaml(`a:\n  - {b: {${key}: {polluted: true}}}\n`);
      expect(!r.ok && r.errors.map((e) => [e.code, e.line, e.column])).toEqual([
        ["yaml.forbidden-key", 2, 10],
      ]);
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
