/** One character of a path segment, or a wildcard: `*` (any run within a segment) or `?` (one character). */
export type GlobAtom = { lit: string } | "*" | "?";

/**
 * A pattern segment: `**` (any number of path segments), or a glob matching exactly one segment.
 * `lone` marks a segment that is a single `*`: as the last segment it owns direct children only.
 */
export type PatternSegment =
  { globstar: true } | { globstar: false; atoms: GlobAtom[]; lone: boolean; literal?: string };

/** A compiled CODEOWNERS pattern: segments matched from the repository root. */
export interface CompiledPattern {
  segments: PatternSegment[];
}

/** Why GitHub rejects a pattern: what is wrong with it, and what it accepts instead. */
export interface PatternProblem {
  what: string;
  accepted: string;
}

/** A pattern compiled, or the reason GitHub skips its line. */
export type PatternResult = { ok: true; pattern: CompiledPattern } | { ok: false; problem: PatternProblem };

/**
 * The gitignore syntax GitHub documents as not working in CODEOWNERS ("About code owners",
 * CODEOWNERS syntax), and what its "List CODEOWNERS errors" API reports as `Invalid pattern`
 * (three stars, as in `***` followed by `/*.rb`). Checked on the raw text: a line GitHub would skip must never own anything here.
 */
function problemOf(raw: string): PatternProblem | undefined {
  if (raw.startsWith("!"))
    return {
      what: 'starts with "!"',
      accepted: "CODEOWNERS has no negation; a later line with the pattern and no owners un-owns it",
    };
  if (raw.includes("\\#"))
    return {
      what: 'escapes "#" with "\\"',
      accepted: 'CODEOWNERS has no \\# escape, and a line starting with "#" is a comment',
    };
  const bracket = /[[\]]/.exec(raw);
  if (bracket)
    return {
      what: `has "${bracket[0]}"`,
      accepted: "CODEOWNERS has no [ ] character ranges; write one line per name",
    };
  if (/\*{3,}/.test(raw))
    return {
      what: `has "${/\*{3,}/.exec(raw)![0]}"`,
      accepted: "patterns accept the wildcards *, ** and ?, never three or more stars in a row",
    };
  if (/(^|[^\\])(\\\\)*\\$/.test(raw))
    return {
      what: 'ends with a lone "\\"',
      accepted: '"\\" escapes the character after it, as in "my\\ file" for a space',
    };
  if (/^\/+$/.test(raw)) return { what: "matches no file", accepted: 'use "*" for every file' };
  return undefined;
}

/** Splits a pattern into atoms, with `/` kept as a separator; `\x` is the literal `x`. Runs of literal characters are one atom. */
function atomize(raw: string): (GlobAtom | "/")[] {
  const out: (GlobAtom | "/")[] = [];
  const chars = [...raw];
  const literal = (c: string) => {
    const prev = out[out.length - 1];
    if (typeof prev === "object") prev.lit += c;
    else out.push({ lit: c });
  };
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i]!;
    if (c === "\\") literal(chars[++i]!);
    else if (c === "*" || c === "?" || c === "/") out.push(c);
    else literal(c);
  }
  return out;
}

function toSegment(atoms: GlobAtom[]): PatternSegment {
  if (atoms.length === 2 && atoms[0] === "*" && atoms[1] === "*") return { globstar: true };
  const lone = atoms.length === 1 && atoms[0] === "*";
  // Most segments are plain names: compared as strings, they need no glob matching.
  const literal = atoms.every((x) => typeof x === "object")
    ? atoms.map((x) => (x as { lit: string }).lit).join("")
    : undefined;
  return { globstar: false, atoms, lone, ...(literal !== undefined ? { literal } : {}) };
}

/**
 * Compiles a CODEOWNERS pattern the way GitHub reads it: gitignore rules (a leading or inner `/`
 * anchors at the root, a single name matches at any depth, `dir/` owns everything below, `**`
 * spans segments) with GitHub's differences: case-sensitive, and a trailing lone `*` (`docs/*`)
 * owns direct children only. Unsupported syntax is a problem, never a best guess.
 */
export function compilePattern(raw: string): PatternResult {
  const problem = problemOf(raw);
  if (problem) return { ok: false, problem };
  const parts: GlobAtom[][] = [[]];
  for (const a of atomize(raw)) {
    if (a === "/") parts.push([]);
    else parts[parts.length - 1]!.push(a);
  }
  const segments = parts.map(toSegment);
  const first = parts[0]!;
  const trailingSlash = parts.length > 1 && parts[parts.length - 1]!.length === 0;
  if (first.length === 0) segments.shift();
  else if (parts.length === 1 || (parts.length === 2 && trailingSlash)) {
    // gitignore: a pattern with no slash but a trailing one matches at any depth.
    if (!segments[0]!.globstar) segments.unshift({ globstar: true });
  }
  // `dir/` owns what is below dir: the empty last segment becomes `**`.
  if (trailingSlash) segments[segments.length - 1] = { globstar: true };
  return { ok: true, pattern: { segments } };
}
