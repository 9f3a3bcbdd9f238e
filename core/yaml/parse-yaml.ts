import { isAlias, isMap, isPair, isScalar, isSeq, LineCounter, parseAllDocuments, type Node } from "yaml";
import type { FileError, FileResult } from "../file-error.js";

/** Largest accepted document, in bytes. */
export const MAX_BYTES = 64 * 1024;
/** Deepest accepted nesting of mappings and sequences. */
export const MAX_DEPTH = 32;
const FORBIDDEN_KEYS = new Set(["__proto__", "constructor", "prototype"]);

/** Where a value (and its key, for mapping entries) sits in the source, 1-based. */
export interface Span {
  key?: { line: number; column: number };
  value: { line: number; column: number };
}

/** A parsed YAML document as plain data, with the source position of every JSON pointer. */
export interface ParsedYaml {
  data: unknown;
  spans: Map<string, Span>;
}

/** Escapes one JSON pointer segment (RFC 6901), as ajv's instancePath does. */
export function pointerSegment(key: string | number): string {
  return String(key).replace(/~/g, "~0").replace(/\//g, "~1");
}

/**
 * Parses one YAML document safely: YAML 1.2 core schema, no aliases, anchors, tags,
 * merge keys, directives, duplicate keys or prototype keys, within size and depth limits.
 */
export function parseYaml(source: string): FileResult<ParsedYaml> {
  const bytes = Buffer.byteLength(source, "utf8");
  if (bytes > MAX_BYTES) {
    return fail(
      1,
      1,
      "yaml.too-large",
      `file is ${bytes} bytes; at most ${MAX_BYTES} bytes (64 KiB) are accepted`,
    );
  }
  const lines = new LineCounter();
  const docs = parseAllDocuments(source, {
    lineCounter: lines,
    schema: "core",
    merge: false,
    uniqueKeys: true,
    strict: true,
    prettyErrors: false,
    customTags: [],
  });
  const at = (offset: number) => {
    const p = lines.linePos(offset);
    return { line: p.line, column: p.col };
  };
  if (!Array.isArray(docs)) {
    return fail(1, 1, "yaml.syntax", "the file is empty; expected one YAML mapping");
  }
  if (docs.length === 0) return fail(1, 1, "yaml.syntax", "the file is empty; expected one YAML mapping");
  if (docs.length > 1) {
    const second = docs[1]!;
    const { line, column } = at(second.range[0]);
    return fail(
      line,
      column,
      "yaml.multi-document",
      "the file holds more than one YAML document; exactly one is accepted",
    );
  }
  const doc = docs[0]!;
  const errors: FileError[] = [];
  for (const e of doc.errors) {
    const { line, column } = at(e.pos[0]);
    if (e.code === "DUPLICATE_KEY") {
      errors.push({
        line,
        column,
        code: "yaml.duplicate-key",
        message: "duplicate key; each key may appear once in a mapping",
      });
    } else {
      errors.push({ line, column, code: "yaml.syntax", message: syntaxMessage(e.message) });
    }
  }
  const directive = directivePosition(source, doc);
  if (directive) {
    errors.push({
      ...directive,
      code: "yaml.directive",
      message: "YAML directives (%YAML, %TAG) are not accepted",
    });
  }
  const spans = new Map<string, Span>();
  walk(doc.contents as Node | null, "", 1, undefined);
  if (errors.length > 0) return { ok: false, errors: dedupe(errors) };
  return { ok: true, value: { data: doc.toJS({ maxAliasCount: 0 }) ?? null, spans } };

  /** Anchors and tags sit before the value they decorate: find the token, on the same line. */
  function propAt(range: [number, number, number] | undefined, token: string) {
    if (!range) return { line: 1, column: 1 };
    const lineStart = source.lastIndexOf("\n", range[0] - 1) + 1;
    let i = source.lastIndexOf(token, range[0]);
    while (token === "!" && i > lineStart && source[i - 1] === "!") i--;
    return at(i >= lineStart ? i : range[0]);
  }

  function walk(node: Node | null, path: string, depth: number, keyPos: Span["key"]): void {
    if (!node) return;
    const range = (node as { range?: [number, number, number] }).range;
    const pos = range ? at(range[0]) : { line: 1, column: 1 };
    spans.set(path, keyPos ? { key: keyPos, value: pos } : { value: pos });
    if (isAlias(node)) {
      errors.push({
        ...pos,
        code: "yaml.alias",
        message: `alias *${node.source} is not accepted; write the value out in full`,
      });
      return;
    }
    if (node.anchor) {
      errors.push({
        ...propAt(range, `&${node.anchor}`),
        code: "yaml.alias",
        message: `anchor &${node.anchor} is not accepted; anchors and aliases are not supported`,
      });
    }
    if (node.tag) {
      errors.push({
        ...propAt(range, "!"),
        code: "yaml.tag",
        message: `tag ${node.tag.replace(/^tag:yaml.org,2002:/, "!!")} is not accepted; write plain values without tags`,
      });
    }
    if ((isMap(node) || isSeq(node)) && depth > MAX_DEPTH) {
      errors.push({
        ...pos,
        code: "yaml.too-deep",
        message: `nesting deeper than ${MAX_DEPTH} levels is not accepted`,
      });
      return;
    }
    if (isMap(node)) {
      for (const pair of node.items) {
        if (!isPair(pair)) continue;
        const key = pair.key as Node | null;
        const kRange = (key as { range?: [number, number, number] } | null)?.range;
        const kPos = kRange ? at(kRange[0]) : pos;
        if (key && !isScalar(key)) {
          if (isAlias(key) || (key as { anchor?: string }).anchor || (key as { tag?: string }).tag)
            walk(key, path, depth + 1, undefined);
          errors.push({ ...kPos, code: "yaml.complex-key", message: "mapping keys must be plain strings" });
          continue;
        }
        const name = key ? String(key.value) : "";
        if (key && (key.anchor || key.tag)) walk(key, `${path}/~key`, depth + 1, undefined);
        if (name === "<<") {
          errors.push({
            ...kPos,
            code: "yaml.merge-key",
            message: "merge keys (<<) are not accepted; write the keys out in full",
          });
          continue;
        }
        if (FORBIDDEN_KEYS.has(name)) {
          errors.push({ ...kPos, code: "yaml.forbidden-key", message: `key "${name}" is not accepted` });
          continue;
        }
        const child = `${path}/${pointerSegment(name)}`;
        const value = pair.value as Node | null;
        if (value) walk(value, child, depth + 1, kPos);
        else spans.set(child, { key: kPos, value: kPos });
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, i) => walk(item as Node | null, `${path}/${i}`, depth + 1, undefined));
    }
  }
}

function directivePosition(
  source: string,
  doc: { directives?: { yaml: { explicit?: boolean }; tags: Record<string, string> } },
) {
  const d = doc.directives;
  const hasTag = d ? Object.keys(d.tags).some((h) => h !== "!!" && h !== "!") : false;
  const m = /^%/m.exec(source);
  if (!m && !(d?.yaml.explicit || hasTag)) return undefined;
  if (!m) return { line: 1, column: 1 };
  const line = source.slice(0, m.index).split("\n").length;
  return { line, column: 1 };
}

function syntaxMessage(raw: string): string {
  const first = raw.split("\n")[0] ?? raw;
  return `YAML syntax error: ${first.replace(/ at line \d+, column \d+:?$/, "")}`;
}

function dedupe(errors: FileError[]): FileError[] {
  const seen = new Set<string>();
  return errors.filter((e) => {
    const k = `${e.line}:${e.column}:${e.code}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

function fail(line: number, column: number, code: string, message: string): FileResult<ParsedYaml> {
  return { ok: false, errors: [{ line, column, code, message }] };
}
