/**
 * A linear-time regular expression matcher for ticket patterns (a Pike VM over a Thompson NFA).
 *
 * Why hand-written: policy authors write ticket patterns and request authors write tickets, so a
 * backtracking engine (JavaScript's RegExp) could be made to hang on a crafted pair. RE2 semantics
 * rule that out; the RE2 port on npm costs ~50 ms of start-up for unicode tables that ticket
 * patterns never use, against a 2x `node -e 0` start-up budget. This supports the subset tickets
 * need: literals, `.`, escapes `\d \D \w \W \s \S` and escaped punctuation, classes `[a-z_]` and
 * `[^…]`, groups `( )` and `(?: )`, alternation, `* + ?` and `{n} {n,} {n,m}` (lazy forms match
 * the same), and anchors `^ $`. Matching is a search, like RegExp.prototype.test with the `u`
 * flag: pattern and input are read by code point (so `😀` is one character, in a class or a
 * range too), in O(pattern × input) time. The compiled program is bounded (MAX_PROGRAM), since
 * counted repetitions are written out: `(?:[a-z]{100}){49}` is 4,900 steps for each character.
 */

/** Tests one code point, given as its string (one or two UTF-16 units). */
type CharTest = (c: string) => boolean;

type Node =
  | { t: "char"; test: CharTest }
  | { t: "bol" }
  | { t: "eol" }
  | { t: "cat"; items: Node[] }
  | { t: "alt"; items: Node[] }
  | { t: "rep"; node: Node; min: number; max: number };

type Inst =
  | { op: "char"; test: CharTest }
  | { op: "split"; a: number; b: number }
  | { op: "jmp"; to: number }
  | { op: "bol" }
  | { op: "eol" }
  | { op: "match" };

/** Largest repetition count accepted. */
export const MAX_REPEAT = 100;
/** Largest compiled program, in steps: matching costs up to this many steps per input character. */
export const MAX_PROGRAM = 2000;
/** Deepest nesting of groups accepted (the parser recurses once per group). */
export const MAX_GROUP_DEPTH = 32;

/**
 * A pattern the matcher does not accept: the message says what and where. `kind` tells a pattern
 * that is not supported (`syntax`) from one that is supported but expands too far (`too-large`).
 */
export class PatternError extends Error {
  constructor(
    message: string,
    readonly kind: "syntax" | "too-large" = "syntax",
  ) {
    super(message);
  }
}

const isDigit = (c: string) => c >= "0" && c <= "9";
const isWord = (c: string) => isDigit(c) || (c >= "a" && c <= "z") || (c >= "A" && c <= "Z") || c === "_";
const isSpace = (c: string) => /^\s$/u.test(c);
// What `.` does not match, as in RegExp: the line terminators.
const isLineEnd = (c: string) => c === "\n" || c === "\r" || c === "\u2028" || c === "\u2029";
const codePoint = (c: string) => c.codePointAt(0) ?? -1;
const CLASS_ESCAPES: Record<string, (c: string) => boolean> = {
  d: isDigit,
  D: (c) => !isDigit(c),
  w: isWord,
  W: (c) => !isWord(c),
  s: isSpace,
  S: (c) => !isSpace(c),
};
const CONTROL_ESCAPES: Record<string, string> = { n: "\n", r: "\r", t: "\t", f: "\f", v: "\v" };

class Parser {
  private i = 0;
  private depth = 0;
  /** The pattern as code points, as the matcher reads the input. */
  private readonly src: string[];
  constructor(source: string) {
    this.src = [...source];
  }

  parse(): Node {
    const node = this.alternation();
    if (this.i < this.src.length) this.fail(`unexpected "${this.src[this.i]}"`);
    return node;
  }

  /** Up to `n` code points from the current position, as a string, for a bounded look-ahead. */
  private ahead(n: number): string {
    return this.src.slice(this.i, this.i + n).join("");
  }

  private fail(why: string): never {
    throw new PatternError(`${why} at position ${this.i + 1}`);
  }

  private peek(): string | undefined {
    return this.src[this.i];
  }

  private alternation(): Node {
    const items = [this.concatenation()];
    while (this.peek() === "|") {
      this.i++;
      items.push(this.concatenation());
    }
    return items.length === 1 ? items[0]! : { t: "alt", items };
  }

  private concatenation(): Node {
    const items: Node[] = [];
    while (this.i < this.src.length && this.peek() !== "|" && this.peek() !== ")")
      items.push(this.repetition());
    return { t: "cat", items };
  }

  private repetition(): Node {
    let node = this.atom();
    for (;;) {
      const c = this.peek();
      let min: number;
      let max: number;
      if (c === "*") [min, max] = [0, Infinity];
      else if (c === "+") [min, max] = [1, Infinity];
      else if (c === "?") [min, max] = [0, 1];
      else if (c === "{" && /^\{\d+(,\d*)?\}/.test(this.ahead(24))) {
        const m = /^\{(\d+)(,(\d*))?\}/.exec(this.ahead(24))!;
        min = Number(m[1]);
        max = m[2] === undefined ? min : m[3] === "" ? Infinity : Number(m[3]);
        if (min > MAX_REPEAT || (max !== Infinity && max > MAX_REPEAT))
          this.fail(`repetition over ${MAX_REPEAT}`);
        if (max < min) this.fail("repetition {n,m} with m < n");
        this.i += m[0].length - 1;
      } else return node;
      if (node.t === "bol" || node.t === "eol") this.fail("a quantifier after an anchor");
      this.i++;
      if (this.peek() === "?") this.i++; // lazy: the same language
      node = { t: "rep", node, min, max };
    }
  }

  private atom(): Node {
    const c = this.peek()!;
    this.i++;
    switch (c) {
      case "^":
        return { t: "bol" };
      case "$":
        return { t: "eol" };
      case ".":
        return { t: "char", test: (x) => !isLineEnd(x) };
      case "[":
        return this.charClass();
      case "(": {
        if (this.peek() === "?") {
          if (this.src[this.i + 1] !== ":")
            this.fail("lookaround and named groups are not supported; use (?: )");
          this.i += 2;
        }
        if (++this.depth > MAX_GROUP_DEPTH) {
          this.i--; // point at the "(" that is one too deep
          this.fail(`groups nested deeper than ${MAX_GROUP_DEPTH}`);
        }
        const inner = this.alternation();
        if (this.peek() !== ")") this.fail('missing ")"');
        this.i++;
        this.depth--;
        return inner;
      }
      case ")":
        return this.fail('unmatched ")"');
      case "*":
      case "+":
      case "?":
      case "{":
        return this.fail(`nothing to repeat before "${c}"`);
      case "\\":
        return this.escape();
      default:
        return { t: "char", test: (x) => x === c };
    }
  }

  private escape(): Node {
    const e = this.peek();
    if (e === undefined) this.fail("a trailing backslash");
    this.i++;
    if (CLASS_ESCAPES[e]) return { t: "char", test: CLASS_ESCAPES[e] };
    if (CONTROL_ESCAPES[e]) return { t: "char", test: (x) => x === CONTROL_ESCAPES[e] };
    if (/[0-9a-zA-Z]/.test(e)) this.fail(`the escape \\${e} is not supported (no backreferences)`);
    return { t: "char", test: (x) => x === e };
  }

  private charClass(): Node {
    const negate = this.peek() === "^";
    if (negate) this.i++;
    const tests: CharTest[] = [];
    let first = true;
    while (this.peek() !== "]" || first) {
      first = false;
      let c = this.peek();
      if (c === undefined) this.fail('missing "]"');
      this.i++;
      if (c === "\\") {
        const e = this.peek();
        if (e === undefined) this.fail("a trailing backslash");
        this.i++;
        if (CLASS_ESCAPES[e]) {
          tests.push(CLASS_ESCAPES[e]);
          continue;
        }
        if (/[0-9a-zA-Z]/.test(e) && !CONTROL_ESCAPES[e]) this.fail(`the escape \\${e} is not supported`);
        c = CONTROL_ESCAPES[e] ?? e;
      }
      if (this.peek() === "-" && this.src[this.i + 1] !== "]" && this.src[this.i + 1] !== undefined) {
        this.i++;
        let hi = this.peek()!;
        this.i++;
        if (hi === "\\") {
          hi = this.peek() ?? "";
          this.i++;
        }
        const lo = codePoint(c);
        const top = codePoint(hi);
        if (top < lo) this.fail(`the range ${c}-${hi} is backwards`);
        tests.push((x) => {
          const p = codePoint(x);
          return p >= lo && p <= top;
        });
      } else {
        const one = c;
        tests.push((x) => x === one);
      }
    }
    this.i++;
    return { t: "char", test: (x) => tests.some((t) => t(x)) !== negate };
  }
}

function emit(node: Node, prog: Inst[]): void {
  if (prog.length > MAX_PROGRAM) {
    throw new PatternError(
      `the pattern expands beyond ${MAX_PROGRAM} steps (a counted repetition is written out: (?:[a-z]{100}){49} is 4900 steps); use smaller counts, or + and *`,
      "too-large",
    );
  }
  switch (node.t) {
    case "char":
      prog.push({ op: "char", test: node.test });
      return;
    case "bol":
    case "eol":
      prog.push({ op: node.t });
      return;
    case "cat":
      for (const n of node.items) emit(n, prog);
      return;
    case "alt": {
      const jumps: { op: "jmp"; to: number }[] = [];
      node.items.forEach((n, k) => {
        if (k < node.items.length - 1) {
          const split = { op: "split" as const, a: prog.length + 1, b: 0 };
          prog.push(split);
          emit(n, prog);
          const j = { op: "jmp" as const, to: 0 };
          prog.push(j);
          jumps.push(j);
          split.b = prog.length;
        } else emit(n, prog);
      });
      for (const j of jumps) j.to = prog.length;
      return;
    }
    case "rep": {
      for (let k = 0; k < node.min; k++) emit(node.node, prog);
      if (node.max === Infinity) {
        const split = { op: "split" as const, a: prog.length + 1, b: 0 };
        const start = prog.length;
        prog.push(split);
        emit(node.node, prog);
        prog.push({ op: "jmp", to: start });
        split.b = prog.length;
      } else {
        const splits: { op: "split"; a: number; b: number }[] = [];
        for (let k = node.min; k < node.max; k++) {
          const split = { op: "split" as const, a: prog.length + 1, b: 0 };
          prog.push(split);
          splits.push(split);
          emit(node.node, prog);
        }
        for (const s of splits) s.b = prog.length;
      }
      return;
    }
  }
}

/** A compiled pattern: `test` answers like RegExp.prototype.test (with the `u` flag), in linear time. */
export interface LinearRegex {
  source: string;
  /** Steps in the compiled program (at most MAX_PROGRAM + 1): a measure of its memory and of matching cost. */
  size: number;
  test(input: string): boolean;
}

/** Compiles a pattern; throws PatternError naming what is not supported and where. */
export function compileLinear(source: string): LinearRegex {
  const prog: Inst[] = [];
  emit(new Parser(source).parse(), prog);
  prog.push({ op: "match" });
  return { source, size: prog.length, test: (input) => run(prog, input) };
}

/** Pike VM: every thread advances in lockstep over the input; no state is visited twice per position. */
function run(prog: Inst[], input: string): boolean {
  const chars = [...input];
  let current: number[] = [];
  let seen = new Uint32Array(prog.length);
  let gen = 0;
  // Follows jumps, splits and anchors from `from` with an explicit stack (a program of chained
  // splits is as deep as it is long), adding the char steps reached to `list`; true on a match.
  const pending: number[] = [];
  const add = (list: number[], from: number, pos: number): boolean => {
    pending.length = 0;
    pending.push(from);
    while (pending.length > 0) {
      const pc = pending.pop()!;
      if (seen[pc] === gen) continue;
      seen[pc] = gen;
      const inst = prog[pc]!;
      switch (inst.op) {
        case "jmp":
          pending.push(inst.to);
          break;
        case "split":
          pending.push(inst.b, inst.a);
          break;
        case "bol":
          if (pos === 0) pending.push(pc + 1);
          break;
        case "eol":
          if (pos === chars.length) pending.push(pc + 1);
          break;
        case "match":
          return true;
        default:
          list.push(pc);
      }
    }
    return false;
  };
  const step = () => {
    gen++;
    if (gen === 0xffffffff) {
      seen = new Uint32Array(prog.length);
      gen = 1;
    }
  };
  step();
  if (add(current, 0, 0)) return true;
  for (let pos = 0; pos < chars.length; pos++) {
    step();
    const next: number[] = [];
    for (const pc of current) {
      const inst = prog[pc] as { op: "char"; test: CharTest };
      if (inst.test(chars[pos]!) && add(next, pc + 1, pos + 1)) return true;
    }
    // A search: a new thread may start at every position.
    if (add(next, 0, pos + 1)) return true;
    current = next;
  }
  return false;
}
