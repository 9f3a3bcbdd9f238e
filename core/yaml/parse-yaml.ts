import {
  Composer,
  isAlias,
  isMap,
  isPair,
  isScalar,
  isSeq,
  LineCounter,
  Parser,
  type DocumentOptions,
  type Node,
  type ParseOptions,
  type SchemaOptions,
} from "yaml";
import { capErrors } from "../cap-errors.js";
import type { FileError, FileResult } from "../file-error.js";
import { scanTokens } from "./scan-tokens.js";

/** Largest accepted document, in bytes. */
export const MAX_BYTES = 64 * 1024;
/** Deepest accepted nesting of mappings and sequences. */
export const MAX_DEPTH = 32;
const FORBIDDEN_KEYS = new Set(["__proto__", "constructor", "prototype"]);

// uniqueKeys is off: the library compares every key with every other (1-2.6 s on 64 KiB of
// distinct keys); walk() checks duplicates with a Set instead.
const COMPOSE_OPTIONS: ParseOptions & DocumentOptions & SchemaOptions = {
  schema: "core",
  merge: false,
  uniqueKeys: false,
  strict: true,
  prettyErrors: false,
  customTags: [],
};

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
 * Linear in the input and never recursive beyond MAX_DEPTH; errors are sorted and capped.
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
  const at = (offset: number) => {
    const p = lines.linePos(offset);
    return { line: p.line, column: p.col };
  };
  // The lexer and parser build the token stream iteratively; the composer recurses per level,
  // so depth is measured on the tokens first.
  const tokens = Array.from(new Parser(lines.addNewLine).parse(source));
  const scan = scanTokens(tokens, MAX_DEPTH);
  if (scan.tooDeepAt !== undefined) {
    const { line, column } = at(scan.tooDeepAt);
    return fail(
      line,
      column,
      "yaml.too-deep",
      `nesting deeper than ${MAX_DEPTH} levels of mappings and lists is not accepted; this value is at level ${MAX_DEPTH + 1}`,
    );
  }
  if (scan.documents.length === 0) {
    return fail(1, 1, "yaml.syntax", "the file is empty; expected one YAML mapping");
  }
  if (scan.documents.length > 1) {
    const { line, column } = at(scan.documents[1]!);
    return fail(
      line,
      column,
      "yaml.multi-document",
      "the file holds more than one YAML document; exactly one is accepted",
    );
  }
  const doc = Array.from(new Composer(COMPOSE_OPTIONS).compose(tokens))[0]!;
  const errors: FileError[] = scan.problems.map((p) => ({
    ...at(p.offset),
    code: p.code,
    message: p.message,
  }));
  const continued = new Set<number>();
  for (const e of doc.errors) {
    if (e.code !== "MULTILINE_IMPLICIT_KEY") continue;
    const split = source.lastIndexOf("\n", e.pos[1] - 1);
    if (split <= e.pos[0]) continue;
    // A key that spans lines is almost always a line indented deeper than its siblings: the
    // library reports it where the value above starts; point at the line the user indented.
    continued.add(e.pos[0]);
    const lineStart = split + 1;
    let col = lineStart;
    while (source[col] === " " || source[col] === "\t") col++;
    const { line } = at(lineStart);
    errors.push({
      ...at(col),
      code: "yaml.syntax",
      message: `YAML syntax error: line ${line} is indented deeper than the keys above it, so it continues the value on line ${at(e.pos[0]).line} instead of starting a key; indent it like its sibling keys (or quote a value that spans lines)`,
    });
  }
  for (const e of doc.errors) {
    if (e.code === "MULTILINE_IMPLICIT_KEY" && continued.has(e.pos[0])) continue;
    if (e.code === "BLOCK_AS_IMPLICIT_KEY" && continued.has(e.pos[0])) continue;
    const open = e.code === "MISSING_CHAR" && e.message.startsWith("Missing closing") && unclosedAt(e.pos[0]);
    if (open) {
      errors.push({
        ...at(open.offset),
        code: "yaml.syntax",
        message: `YAML syntax error: the value quoted with ${open.quote} here is never closed; add the closing ${open.quote}`,
      });
      continue;
    }
    // The composer turns a stack overflow into an error; the token scan keeps it from happening.
    const code = e.code === "RESOURCE_EXHAUSTION" ? "yaml.too-deep" : "yaml.syntax";
    errors.push({ ...at(e.pos[0]), code, message: syntaxMessage(e.message) });
  }
  const spans = new Map<string, Span>();
  // Defence in depth: should the token scan ever miss an anchor, alias or tag, the composed
  // node still carries it, and walk() refuses it (at the node) rather than let it through.
  const scanned = new Set(scan.problems.map((p) => p.code));
  walk(doc.contents as Node | null, "", 1, undefined);
  if (errors.length > 0) return { ok: false, errors: capErrors(dedupe(errors)) };
  return { ok: true, value: { data: doc.toJS({ maxAliasCount: 0 }) ?? null, spans } };

  /** The quoted scalar that runs up to `offset` unclosed: the last one opened before it. */
  function unclosedAt(offset: number) {
    let lo = 0;
    let hi = scan.quoted.length - 1;
    let found: (typeof scan.quoted)[number] | undefined;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const q = scan.quoted[mid]!;
      if (q.offset < offset) {
        found = q;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return found && found.end >= offset - 1 ? found : undefined;
  }

  function decorated(node: Node, pos: { line: number; column: number }): void {
    if ((isAlias(node) || node.anchor) && !scanned.has("yaml.alias")) {
      errors.push({ ...pos, code: "yaml.alias", message: "anchors and aliases are not supported" });
    }
    if (node.tag && !scanned.has("yaml.tag")) {
      errors.push({
        ...pos,
        code: "yaml.tag",
        message: "tags are not accepted; write plain values without tags",
      });
    }
  }

  // Recursion is bounded: the token scan refused anything deeper than MAX_DEPTH, and the guard
  // below holds for nodes the composer adds (a `k: v` pair inside a flow list becomes a mapping).
  function walk(node: Node | null, path: string, depth: number, keyPos: Span["key"]): void {
    if (!node) return;
    const range = (node as { range?: [number, number, number] }).range;
    const pos = range ? at(range[0]) : { line: 1, column: 1 };
    spans.set(path, keyPos ? { key: keyPos, value: pos } : { value: pos });
    // Aliases, anchors and tags were reported by the token scan, where they were written.
    decorated(node, pos);
    if (isAlias(node)) return;
    if ((isMap(node) || isSeq(node)) && depth > MAX_DEPTH) {
      errors.push({
        ...pos,
        code: "yaml.too-deep",
        message: `nesting deeper than ${MAX_DEPTH} levels of mappings and lists is not accepted; this value is at level ${depth}`,
      });
      return;
    }
    if (isMap(node)) {
      const names = new Set<string>();
      for (const pair of node.items) {
        if (!isPair(pair)) continue;
        const key = pair.key as Node | null;
        const kRange = (key as { range?: [number, number, number] } | null)?.range;
        const kPos = kRange ? at(kRange[0]) : pos;
        if (key && !isScalar(key)) {
          errors.push({ ...kPos, code: "yaml.complex-key", message: "mapping keys must be plain strings" });
          continue;
        }
        if (key) decorated(key, kPos);
        const name = key ? String(key.value) : "";
        if (names.has(name)) {
          errors.push({
            ...kPos,
            code: "yaml.duplicate-key",
            message: "duplicate key; each key may appear once in a mapping",
          });
          continue;
        }
        names.add(name);
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
