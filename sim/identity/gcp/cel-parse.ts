/** A parsed CEL expression of the subset workload identity conditions and mappings use. */
export type CelNode =
  | { k: "lit"; v: string | boolean | number | null }
  | { k: "ident"; name: string }
  | { k: "select"; obj: CelNode; field: string }
  | { k: "index"; obj: CelNode; index: CelNode }
  | { k: "call"; target?: CelNode; fn: string; args: CelNode[] }
  | { k: "list"; items: CelNode[] }
  | { k: "not"; e: CelNode }
  | { k: "bin"; op: "==" | "!=" | "in" | "&&" | "||" | "+"; l: CelNode; r: CelNode };

/** A syntax error, with the character offset it was found at. */
export class CelSyntaxError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(`${message} at offset ${offset}`);
    this.name = "CelSyntaxError";
  }
}

interface Tok {
  t: "str" | "int" | "id" | "op" | "eof";
  v: string;
  at: number;
}

const OPS = ["==", "!=", "&&", "||", "!", "(", ")", "[", "]", ".", ",", "+"];

function unescape(body: string, at: number): string {
  return body.replace(/\\(.)/g, (_m, c: string) => {
    const map: Record<string, string> = { n: "\n", t: "\t", r: "\r", "\\": "\\", "'": "'", '"': '"' };
    const out = map[c];
    if (out === undefined) throw new CelSyntaxError(`unsupported escape \\${c}`, at);
    return out;
  });
}

function tokenize(src: string): Tok[] {
  const toks: Tok[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i] ?? "";
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === "'" || c === '"') {
      let j = i + 1;
      while (j < src.length && src[j] !== c) j += src[j] === "\\" ? 2 : 1;
      if (j >= src.length) throw new CelSyntaxError("unterminated string literal", i);
      toks.push({ t: "str", v: unescape(src.slice(i + 1, j), i), at: i });
      i = j + 1;
      continue;
    }
    const id = /^[A-Za-z_][A-Za-z0-9_]*/.exec(src.slice(i));
    if (id) {
      toks.push({ t: "id", v: id[0], at: i });
      i += id[0].length;
      continue;
    }
    const num = /^[0-9]+/.exec(src.slice(i));
    if (num) {
      toks.push({ t: "int", v: num[0], at: i });
      i += num[0].length;
      continue;
    }
    const op = OPS.find((o) => src.startsWith(o, i));
    if (!op) throw new CelSyntaxError(`unexpected character '${c}'`, i);
    toks.push({ t: "op", v: op, at: i });
    i += op.length;
  }
  toks.push({ t: "eof", v: "", at: src.length });
  return toks;
}

/** Parses a CEL expression (literals, `a.b`, `a['b']`, `==`, `!=`, `in`, `&&`, `||`, `!`, `+`, `has()`, string methods). */
export function parseCel(src: string): CelNode {
  const toks = tokenize(src);
  let p = 0;
  const peek = (): Tok => toks[p] ?? { t: "eof", v: "", at: src.length };
  const isOp = (v: string): boolean => peek().t === "op" && peek().v === v;
  const expect = (v: string): void => {
    if (!isOp(v))
      throw new CelSyntaxError(`expected '${v}' but found '${peek().v || "end of input"}'`, peek().at);
    p++;
  };
  const args = (close: string): CelNode[] => {
    const out: CelNode[] = [];
    if (isOp(close)) {
      p++;
      return out;
    }
    for (;;) {
      out.push(or());
      if (isOp(",")) {
        p++;
        continue;
      }
      expect(close);
      return out;
    }
  };
  function primary(): CelNode {
    const t = peek();
    p++;
    if (t.t === "str") return { k: "lit", v: t.v };
    if (t.t === "int") return { k: "lit", v: Number(t.v) };
    if (t.t === "id") {
      if (t.v === "true" || t.v === "false") return { k: "lit", v: t.v === "true" };
      if (t.v === "null") return { k: "lit", v: null };
      if (isOp("(")) {
        p++;
        return { k: "call", fn: t.v, args: args(")") };
      }
      return { k: "ident", name: t.v };
    }
    if (t.t === "op" && t.v === "(") {
      const e = or();
      expect(")");
      return e;
    }
    if (t.t === "op" && t.v === "[") return { k: "list", items: args("]") };
    throw new CelSyntaxError(`unexpected '${t.v || "end of input"}'`, t.at);
  }
  function member(): CelNode {
    let e = primary();
    for (;;) {
      if (isOp(".")) {
        p++;
        const f = peek();
        if (f.t !== "id") throw new CelSyntaxError("expected a field name after '.'", f.at);
        p++;
        if (isOp("(")) {
          p++;
          e = { k: "call", target: e, fn: f.v, args: args(")") };
        } else e = { k: "select", obj: e, field: f.v };
      } else if (isOp("[")) {
        p++;
        const index = or();
        expect("]");
        e = { k: "index", obj: e, index };
      } else return e;
    }
  }
  function unary(): CelNode {
    if (isOp("!")) {
      p++;
      return { k: "not", e: unary() };
    }
    return member();
  }
  function sum(): CelNode {
    let l = unary();
    while (isOp("+")) {
      p++;
      l = { k: "bin", op: "+", l, r: unary() };
    }
    return l;
  }
  function rel(): CelNode {
    const l = sum();
    if (isOp("==") || isOp("!=")) {
      const op = peek().v as "==" | "!=";
      p++;
      return { k: "bin", op, l, r: sum() };
    }
    if (peek().t === "id" && peek().v === "in") {
      p++;
      return { k: "bin", op: "in", l, r: sum() };
    }
    return l;
  }
  function and(): CelNode {
    let l = rel();
    while (isOp("&&")) {
      p++;
      l = { k: "bin", op: "&&", l, r: rel() };
    }
    return l;
  }
  function or(): CelNode {
    let l = and();
    while (isOp("||")) {
      p++;
      l = { k: "bin", op: "||", l, r: and() };
    }
    return l;
  }
  const root = or();
  if (peek().t !== "eof") throw new CelSyntaxError(`unexpected '${peek().v}'`, peek().at);
  return root;
}
