import type { CelNode } from "./cel-parse.js";

/** An evaluation error (missing key, wrong types): CEL's error value. */
export class CelEvalError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "CelEvalError";
  }
}

type Value = unknown;

function typeName(v: Value): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "list";
  if (typeof v === "object") return "map";
  if (typeof v === "number") return "int";
  return typeof v === "boolean" ? "bool" : typeof v === "string" ? "string" : typeof v;
}

function field(obj: Value, key: Value): Value {
  if (typeof obj !== "object" || obj === null || Array.isArray(obj))
    throw new CelEvalError(`no such overload: ${typeName(obj)}[${typeName(key)}]`);
  if (typeof key !== "string") throw new CelEvalError(`no such overload: map[${typeName(key)}]`);
  if (!Object.prototype.hasOwnProperty.call(obj, key)) throw new CelEvalError(`no such key: ${key}`);
  return (obj as Record<string, Value>)[key];
}

function equal(a: Value, b: Value): boolean {
  if (typeName(a) !== typeName(b))
    throw new CelEvalError(`no such overload: ${typeName(a)} == ${typeName(b)}`);
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => equal(x, b[i]));
  if (typeof a === "object" && a !== null) return JSON.stringify(a) === JSON.stringify(b);
  return a === b;
}

function bool(v: Value, what: string): boolean {
  if (typeof v !== "boolean") throw new CelEvalError(`no such overload: ${what} on ${typeName(v)}`);
  return v;
}

// CEL's && and || absorb an error when the other side decides the result (false && error == false).
function logical(op: "&&" | "||", l: CelNode, r: CelNode, env: Record<string, Value>): boolean {
  const decisive = op === "||";
  let err: unknown;
  for (const side of [l, r]) {
    try {
      if (bool(evalCel(side, env), op) === decisive) return decisive;
    } catch (e) {
      err = err ?? e;
    }
  }
  if (err) throw err;
  return !decisive;
}

function method(target: Value, fn: string, args: Value[]): Value {
  const [arg] = args;
  if (["startsWith", "endsWith", "contains"].includes(fn)) {
    if (typeof target !== "string" || typeof arg !== "string" || args.length !== 1)
      throw new CelEvalError(`no such overload: ${typeName(target)}.${fn}(${args.map(typeName).join(", ")})`);
    return fn === "startsWith"
      ? target.startsWith(arg)
      : fn === "endsWith"
        ? target.endsWith(arg)
        : target.includes(arg);
  }
  if (fn === "size" && args.length === 0) {
    if (typeof target === "string" || Array.isArray(target)) return target.length;
    if (typeof target === "object" && target !== null) return Object.keys(target).length;
  }
  throw new CelEvalError(`unsupported function ${fn}`);
}

/** Evaluates a parsed expression over `env` (e.g. `{assertion: claims}`); throws CelEvalError for CEL errors. */
export function evalCel(node: CelNode, env: Record<string, Value>): Value {
  switch (node.k) {
    case "lit":
      return node.v;
    case "ident":
      if (!Object.prototype.hasOwnProperty.call(env, node.name))
        throw new CelEvalError(`undeclared reference to '${node.name}'`);
      return env[node.name];
    case "select":
      return field(evalCel(node.obj, env), node.field);
    case "index":
      return field(evalCel(node.obj, env), evalCel(node.index, env));
    case "list":
      return node.items.map((i) => evalCel(i, env));
    case "not":
      return !bool(evalCel(node.e, env), "!");
    case "call": {
      if (!node.target && node.fn === "has") {
        const [arg] = node.args;
        if (node.args.length !== 1 || arg?.k !== "select")
          throw new CelEvalError("has() needs a field selection, e.g. has(assertion.environment)");
        const obj = evalCel(arg.obj, env);
        if (typeof obj !== "object" || obj === null || Array.isArray(obj))
          throw new CelEvalError(`no such overload: has() on ${typeName(obj)}`);
        return Object.prototype.hasOwnProperty.call(obj, arg.field);
      }
      if (!node.target) throw new CelEvalError(`unsupported function ${node.fn}`);
      return method(
        evalCel(node.target, env),
        node.fn,
        node.args.map((a) => evalCel(a, env)),
      );
    }
    case "bin": {
      if (node.op === "&&" || node.op === "||") return logical(node.op, node.l, node.r, env);
      const l = evalCel(node.l, env);
      const r = evalCel(node.r, env);
      if (node.op === "==") return equal(l, r);
      if (node.op === "!=") return !equal(l, r);
      if (node.op === "+") {
        if (typeof l === "string" && typeof r === "string") return l + r;
        if (Array.isArray(l) && Array.isArray(r)) return [...l, ...r];
        throw new CelEvalError(`no such overload: ${typeName(l)} + ${typeName(r)}`);
      }
      if (Array.isArray(r)) return r.some((x) => typeName(x) === typeName(l) && equal(x, l));
      if (typeof r === "object" && r !== null && typeof l === "string")
        return Object.prototype.hasOwnProperty.call(r, l);
      throw new CelEvalError(`no such overload: ${typeName(l)} in ${typeName(r)}`);
    }
  }
}
