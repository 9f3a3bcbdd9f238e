import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";

/** A source file as the extractor reads it: a path relative to the repository root, and its text. */
export interface CodeSource {
  path: string;
  text: string;
}

/** Folders whose code can put an error code in front of a user. */
export const CODE_FOLDERS = ["core", "cli", "action", "tree", "github", "bot", "grants", "activity"];

/**
 * String literals shaped like codes that are not error codes, each with the reason. The extractor
 * reports every dotted lowercase literal, so a new code can never slip past: a literal that is not
 * a code must be listed here, on purpose.
 */
export const NOT_CODES: Record<string, string> = {
  "pr.author": "a field name in a test-case message (`pr.author must be a non-empty string`)",
  "pr.head": "a field name in a test-case message",
  "assertion.sub": "a CEL claim in a GCP attribute mapping",
  "google.subject": "a GCP attribute-mapping key",
};

// A quoted literal (double, single or back quotes without interpolation) of the form `word.kebab-case`:
// codes are lowercase, so `auth.installationId` in a comment is not one.
const LITERAL = /(["'`])([a-z][a-z0-9]*\.[a-z][a-z0-9-]*)\1/g;
// File names and module specifiers have the same shape; they end in an extension.
const FILE_LIKE = /\.(?:js|mjs|cjs|ts|json|ya?ml|md|txt|html|sh|com|dev|io|org|net|example)$/;

/** Every code-shaped string literal in `sources`, minus file names and the listed non-codes. */
export function codeLiterals(
  sources: CodeSource[],
  notCodes: Record<string, string> = NOT_CODES,
): Set<string> {
  const out = new Set<string>();
  for (const s of sources) {
    for (const m of s.text.matchAll(LITERAL)) {
      const value = m[2]!;
      if (FILE_LIKE.test(value) || value in notCodes) continue;
      out.add(value);
    }
  }
  return out;
}

/** The ajv keywords that can fail validation (and so reach `schemaErrors`), as opposed to structure. */
const FAILING_KEYWORDS = new Set([
  "type",
  "const",
  "enum",
  "pattern",
  "format",
  "minLength",
  "maxLength",
  "minItems",
  "maxItems",
  "uniqueItems",
  "contains",
  "minProperties",
  "maxProperties",
  "required",
  "additionalProperties",
  "unevaluatedProperties",
  "propertyNames",
  "dependentRequired",
  "minimum",
  "maximum",
  "exclusiveMinimum",
  "exclusiveMaximum",
  "multipleOf",
  "anyOf",
  "oneOf",
  "allOf",
  "not",
  "if",
]);

/** Keys of every schema object in a JSON Schema document (walked through properties, $defs, items...). */
export function schemaKeywords(schema: unknown): Set<string> {
  const out = new Set<string>();
  const walk = (node: unknown, asMap: boolean) => {
    if (Array.isArray(node)) return node.forEach((n) => walk(n, false));
    if (!node || typeof node !== "object") return;
    for (const [k, v] of Object.entries(node)) {
      if (asMap) walk(v, false);
      else {
        if (FAILING_KEYWORDS.has(k) && !(k === "additionalProperties" && typeof v === "object")) out.add(k);
        // properties, $defs and patternProperties map names to schemas; const and enum hold data.
        if (k === "const" || k === "enum" || k === "required") continue;
        walk(v, k === "properties" || k === "$defs" || k === "patternProperties");
      }
    }
  };
  walk(schema, false);
  return out;
}

/**
 * The `schema.*` codes schema failures can produce: the literals of the mapping, plus
 * `schema.<keyword>` for every keyword the schemas use that the mapping's switch does not handle
 * (its default case names the code after the keyword).
 */
export function schemaCodes(mappingSource: string, schemas: unknown[]): Set<string> {
  const handled = new Set([...mappingSource.matchAll(/case "([A-Za-z]+)":/g)].map((m) => m[1]!));
  const out = new Set<string>();
  for (const s of schemas) for (const k of schemaKeywords(s)) if (!handled.has(k)) out.add(`schema.${k}`);
  // additionalProperties: false fails as "additionalProperties"; a schema-valued one fails inside.
  return out;
}

/** The codes from `codes` that the document does not mention as `` `code` ``. */
export function undocumented(codes: Iterable<string>, doc: string): string[] {
  return [...codes].filter((c) => !doc.includes(`\`${c}\``)).sort();
}

/** Reads every .ts file under the folders (generated code excluded), relative to `root`. */
export function readSources(root: string, folders: string[] = CODE_FOLDERS): CodeSource[] {
  const out: CodeSource[] = [];
  const visit = (dir: string) => {
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch {
      return;
    }
    for (const n of names) {
      const p = join(dir, n);
      if (statSync(p).isDirectory()) {
        if (n !== "generated" && n !== "node_modules") visit(p);
      } else if (n.endsWith(".ts") && !n.endsWith(".d.ts")) {
        out.push({ path: relative(root, p), text: readFileSync(p, "utf8") });
      }
    }
  };
  for (const f of folders) visit(join(root, f));
  return out;
}

/** Every error code the product can emit: code-shaped literals and the schema codes. */
export function emittedCodes(root: string): Set<string> {
  const sources = readSources(root);
  const mapping = readFileSync(join(root, "core/schema/schema-errors.ts"), "utf8");
  const schemas = ["request", "policy"].map((k) =>
    JSON.parse(readFileSync(join(root, `schemas/${k}.schema.json`), "utf8")),
  );
  return new Set([...codeLiterals(sources), ...schemaCodes(mapping, schemas)]);
}
