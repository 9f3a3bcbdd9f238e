import { MAX_BYTES, parseYaml } from "../../../core/yaml/parse-yaml.js";

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
