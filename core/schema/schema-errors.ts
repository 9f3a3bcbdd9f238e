import type { ErrorObject } from "ajv";
import type { FileError } from "../file-error.js";
import type { Span } from "../yaml/parse-yaml.js";
import { MAX_QUOTED, quoteValue } from "./quote-value.js";

/** Turns a JSON pointer into the dotted form users read: `/spec/grants/0/gcp` -> `spec.grants[0].gcp`. */
export function displayPath(pointer: string): string {
  if (pointer === "") return "the document";
  return pointer
    .slice(1)
    .split("/")
    .map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"))
    .map((s) => (s.length > MAX_QUOTED ? `${s.slice(0, MAX_QUOTED)}…` : s))
    .reduce((acc, seg) => (/^\d+$/.test(seg) ? `${acc}[${seg}]` : acc ? `${acc}.${seg}` : seg), "");
}

/** Reads the value at a JSON pointer. */
export function valueAt(data: unknown, pointer: string): unknown {
  if (pointer === "") return data;
  let cur: unknown = data;
  for (const raw of pointer.slice(1).split("/")) {
    const seg = raw.replace(/~1/g, "/").replace(/~0/g, "~");
    if (cur === null || typeof cur !== "object") return undefined;
    cur = (cur as Record<string, unknown>)[seg];
  }
  return cur;
}

function typeName(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "a list";
  if (typeof v === "object") return "a mapping";
  if (typeof v === "string") return `the string ${quoteValue(v)}`;
  return `${typeof v} ${String(v)}`;
}

const TYPE_WORDS: Record<string, string> = {
  string: "a string",
  integer: "an integer",
  number: "a number",
  boolean: "true or false",
  object: "a mapping",
  array: "a list",
  null: "null",
};

function listAccepted(values: string[]): string {
  return values.map((v) => JSON.stringify(v)).join(", ");
}

/**
 * Maps ajv errors to positioned errors with sentences that name what is accepted.
 * `skip` lists pointers whose values have a more specific check of their own.
 */
export function schemaErrors(
  errors: ErrorObject[],
  data: unknown,
  spans: Map<string, Span>,
  skip: Set<string> = new Set(),
): FileError[] {
  const chosen = pickAnyOfBranches(errors, data);
  const out: FileError[] = [];
  const seen = new Set<string>();
  for (const e of chosen) {
    if (skip.has(e.instancePath)) continue;
    const mapped = mapOne(e, data);
    const pointer = mapped.pointer ?? e.instancePath;
    const span = nearestSpan(spans, pointer);
    const pos = mapped.atKey && span.key ? span.key : span.value;
    const key = `${pointer}|${mapped.code}|${mapped.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ line: pos.line, column: pos.column, code: mapped.code, message: mapped.message });
  }
  return out;
}

function nearestSpan(spans: Map<string, Span>, pointer: string): Span {
  let p = pointer;
  for (;;) {
    const s = spans.get(p);
    if (s) return s;
    if (p === "") return { value: { line: 1, column: 1 } };
    p = p.slice(0, p.lastIndexOf("/"));
  }
}

/**
 * For each failed anyOf, keeps the errors of the branch the value was meant for: errors deeper
 * inside the value, else (for a list) the list branch's own, else one summary error. Linear in
 * the number of errors: a branch's errors are looked up by the value's pointer, not searched.
 */
function pickAnyOfBranches(errors: ErrorObject[], data: unknown): ErrorObject[] {
  const anyOfs = errors.filter((e) => e.keyword === "anyOf");
  if (anyOfs.length === 0) return errors;
  const byPointer = new Map<string, ErrorObject[]>();
  // Every pointer strictly above some error's value: "is anything wrong deeper inside X?"
  const above = new Set<string>();
  for (const e of errors) {
    const list = byPointer.get(e.instancePath) ?? [];
    list.push(e);
    byPointer.set(e.instancePath, list);
    for (let p = e.instancePath; p !== "";) {
      p = p.slice(0, p.lastIndexOf("/"));
      if (above.has(p)) break;
      above.add(p);
    }
  }
  const drop = new Set<ErrorObject>();
  for (const a of anyOfs) {
    const sameLevel = (byPointer.get(a.instancePath) ?? []).filter(
      (e) => e !== a && e.schemaPath.startsWith(`${a.schemaPath}/`),
    );
    const deeper = above.has(a.instancePath);
    const listBranch = new Set(
      Array.isArray(valueAt(data, a.instancePath)) ? sameLevel.filter((e) => e.keyword !== "const") : [],
    );
    if (deeper || listBranch.size > 0) drop.add(a);
    for (const e of sameLevel) if (deeper || !listBranch.has(e)) drop.add(e);
  }
  return errors.filter((e) => !drop.has(e));
}

interface Mapped {
  code: string;
  message: string;
  pointer?: string;
  atKey?: boolean;
}

function mapOne(e: ErrorObject, data: unknown): Mapped {
  const where = displayPath(e.instancePath);
  const value = valueAt(data, e.instancePath);
  const parent = e.parentSchema as { description?: string; properties?: Record<string, unknown> } | undefined;
  const described = parent?.description ? ` (${parent.description.replace(/\.$/, "")})` : "";
  const params = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case "required":
      return {
        code: "schema.required",
        message: `${where} is missing the required key "${String(params.missingProperty)}"`,
      };
    case "additionalProperties": {
      const extra = String(params.additionalProperty);
      const accepted = Object.keys(parent?.properties ?? {});
      return {
        code: "schema.additional",
        pointer: `${e.instancePath}/${extra.replace(/~/g, "~0").replace(/\//g, "~1")}`,
        atKey: true,
        message: `unknown key ${quoteValue(extra)} in ${where}; accepted keys: ${accepted.join(", ")}`,
      };
    }
    case "type": {
      const want = String(params.type)
        .split(",")
        .map((t) => TYPE_WORDS[t] ?? t)
        .join(" or ");
      return { code: "schema.type", message: `${where} must be ${want}, not ${typeName(value)}${described}` };
    }
    case "const":
      return {
        code: "schema.const",
        message: `${where} must be ${JSON.stringify(params.allowedValue)}, not ${typeName(value)}`,
      };
    case "enum":
      return {
        code: "schema.enum",
        message: `${where} must be one of ${listAccepted((params.allowedValues as string[]) ?? [])}, not ${typeName(value)}`,
      };
    case "pattern": {
      const expected = (parent?.description ?? "a value of the accepted form").replace(/\.$/, "");
      return {
        code: "schema.pattern",
        message: `${where} is ${typeName(value)}; expected ${expected[0]!.toLowerCase()}${expected.slice(1)}`,
      };
    }
    case "minLength":
      return { code: "schema.empty", message: `${where} must not be empty${described}` };
    case "minItems":
      return {
        code: "schema.min-items",
        message: `${where} needs at least ${String(params.limit)} item${params.limit === 1 ? "" : "s"}${described}`,
      };
    case "minProperties":
    case "maxProperties":
      return {
        code: "schema.shape",
        message: `${where} is ${typeName(value)} with the wrong number of keys${described}`,
      };
    case "minimum":
      return {
        code: "schema.minimum",
        message: `${where} must be at least ${String(params.limit)}, not ${String(value)}`,
      };
    case "anyOf":
      return {
        code: "schema.type",
        message: `${where} must be ${(parent?.description ?? "a valid value").replace(/\.$/, "")}; got ${typeName(value)}`,
      };
    default:
      return { code: `schema.${e.keyword}`, message: `${where} ${e.message ?? "is invalid"}${described}` };
  }
}
