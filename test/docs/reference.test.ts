import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { commands } from "../../cli/program.js";
import { captureOutput } from "../fixtures/capture-output.js";
import {
  codeLiterals,
  emittedCodes,
  NOT_CODES,
  schemaCodes,
  schemaKeywords,
  undocumented,
} from "./helpers/error-codes.js";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const REF = join(ROOT, "docs/reference");
const read = (p: string) => readFileSync(join(ROOT, p), "utf8");
const schema = (kind: "request" | "policy") =>
  JSON.parse(read(`schemas/${kind}.schema.json`)) as Record<string, unknown>;

describe("the error-code extractor", () => {
  it("finds codes however they are passed: code: property, call argument, default parameter", () => {
    const found = codeLiterals([
      {
        path: "core/x.ts",
        text: [
          'errors.push({ line, column, code: "widget.too-big", message });',
          'push("/spec/x", "widget.unknown", `widget ${name} is not declared`);',
          'const bad = (pointer: string, message: string, code = "case.invalid") => {};',
          "return fail(1, 1, `yaml.too-large`, text);",
        ].join("\n"),
      },
    ]);
    expect([...found].sort()).toEqual(["case.invalid", "widget.too-big", "widget.unknown", "yaml.too-large"]);
  });

  it("ignores module paths, file names, template strings with interpolation and the listed non-codes", () => {
    const found = codeLiterals(
      [
        {
          path: "core/x.ts",
          text: [
            'import { a } from "./load-policy.js";',
            'const f = "policy.yaml";',
            "const t = `schema.${keyword}`;",
            'const m = { "google.subject": "assertion.sub" };',
          ].join("\n"),
        },
      ],
      { "google.subject": "mapping key", "assertion.sub": "claim" },
    );
    expect([...found]).toEqual([]);
  });

  it("fails when a new code is added without documentation", () => {
    const doc = "| `widget.unknown` | ... |";
    const codes = codeLiterals([
      { path: "core/x.ts", text: 'push(p, "widget.unknown", m); push(p, "widget.new", m);' },
    ]);
    expect(undocumented(codes, doc)).toEqual(["widget.new"]);
  });

  it("derives schema.<keyword> for keywords the mapping does not handle, e.g. a new maxLength limit", () => {
    const mapping = 'switch (e.keyword) { case "type": return x; case "minLength": return y; }';
    const s = {
      type: "object",
      additionalProperties: false,
      properties: { a: { type: "string", minLength: 1, maxLength: 10 }, enum: { const: "x" } },
      $defs: { pattern: { type: "string", pattern: "^a" } },
    };
    expect(schemaKeywords(s)).toEqual(
      new Set(["type", "additionalProperties", "minLength", "maxLength", "const", "pattern"]),
    );
    expect([...schemaCodes(mapping, [s])].sort()).toEqual([
      "schema.additionalProperties",
      "schema.const",
      "schema.maxLength",
      "schema.pattern",
    ]);
  });

  it("lists non-codes with a reason each", () => {
    for (const [k, why] of Object.entries(NOT_CODES)) expect(`${k}: ${why.length > 10}`).toBe(`${k}: true`);
  });
});

describe("docs/reference/errors.md", () => {
  const doc = read("docs/reference/errors.md");
  const codes = emittedCodes(ROOT);

  it("finds the codes FORMATS requires (the extractor sees the real sources)", () => {
    for (const c of [
      "yaml.syntax",
      "schema.required",
      "duration.exceeds-max",
      "start.invalid",
      "case.invalid",
    ])
      expect(codes).toContain(c);
  });

  it("documents every error code the code can emit", () => {
    expect(undocumented(codes, doc)).toEqual([]);
  });

  it("documents no code the code cannot emit (each heading names a live code)", () => {
    const headings = [...doc.matchAll(/^### `([^`]+)`/gm)].map((m) => m[1]!);
    expect(headings.length).toBeGreaterThan(20);
    expect(headings.filter((h) => !codes.has(h))).toEqual([]);
    expect([...codes].filter((c) => !headings.includes(c)).sort()).toEqual([]);
  });
});

describe("docs/reference/", () => {
  const pages = readdirSync(REF).filter((f) => f.endsWith(".md"));

  it("has every page the index lists, and the index lists every page", () => {
    const index = readFileSync(join(REF, "README.md"), "utf8");
    const linked = [...index.matchAll(/\]\(([a-z-]+\.md)\)/g)].map((m) => m[1]!);
    expect(pages.filter((p) => p !== "README.md").sort()).toEqual([...new Set(linked)].sort());
  });

  it("has no broken relative links", () => {
    const broken: string[] = [];
    for (const p of pages) {
      const text = readFileSync(join(REF, p), "utf8");
      for (const m of text.matchAll(/\]\((?!https?:|#|mailto:)([^)#\s]+)(?:#[^)]*)?\)/g)) {
        if (!existsSync(join(REF, m[1]!))) broken.push(`${p}: ${m[1]}`);
      }
    }
    expect(broken).toEqual([]);
  });

  it.each(["request", "policy"] as const)("%s.md names every key of the %s schema", (kind) => {
    const doc = readFileSync(join(REF, `${kind}.md`), "utf8");
    const keys = new Set<string>();
    const walk = (node: unknown) => {
      if (!node || typeof node !== "object") return;
      const props = (node as { properties?: Record<string, unknown> }).properties;
      if (props) for (const k of Object.keys(props)) keys.add(k);
      for (const v of Object.values(node)) walk(v);
    };
    walk(schema(kind));
    // A key is named as `key` or as the last part of a dotted path, `spec.key`.
    const named = (k: string) => new RegExp(`\`(?:[A-Za-z.]*\\.)?${k}\``).test(doc);
    expect([...keys].filter((k) => !named(k)).sort()).toEqual([]);
  });

  it("cli.md documents every command and each of its options", () => {
    const doc = readFileSync(join(REF, "cli.md"), "utf8");
    const missing: string[] = [];
    for (const c of commands(captureOutput(), () => new Date(0), {})) {
      if (!doc.includes(`## \`jitops ${c.name}`)) missing.push(c.name);
      for (const o of Object.keys(c.options)) if (!doc.includes(`--${o}`)) missing.push(`${c.name} --${o}`);
    }
    expect(missing).toEqual([]);
  });
});

describe("the README's $schema comment", () => {
  const pkg = JSON.parse(read("package.json")) as { version: string; license: string };

  it("points at the request schema's $id, which is where the schema is published", () => {
    const m = /# yaml-language-server: \$schema=(\S+)/.exec(read("README.md"));
    expect(m?.[1]).toBe(schema("request").$id);
  });

  it.each(["request", "policy"] as const)(
    "the %s schema's $id is its raw URL in the repository at the release tag",
    (kind) => {
      expect(schema(kind).$id).toBe(
        `https://raw.githubusercontent.com/jitops/jitops/v${pkg.version}/schemas/${kind}.schema.json`,
      );
    },
  );
});

describe("LICENSE", () => {
  it("is the full Apache License 2.0 text that package.json names", () => {
    const pkg = JSON.parse(read("package.json")) as { license: string };
    const text = read("LICENSE");
    expect(pkg.license).toBe("Apache-2.0");
    for (const part of [
      "Apache License",
      "Version 2.0, January 2004",
      "http://www.apache.org/licenses/",
      "TERMS AND CONDITIONS FOR USE, REPRODUCTION, AND DISTRIBUTION",
      "9. Accepting Warranty or Additional Liability.",
      "END OF TERMS AND CONDITIONS",
      "Copyright 2026 the jitops authors",
    ])
      expect(text).toContain(part);
    expect(text.length).toBeGreaterThan(11000);
  });
});
