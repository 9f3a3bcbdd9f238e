import { compilePattern, type CompiledPattern, type PatternProblem } from "./codeowners/compile-pattern.js";
import { matchesParts } from "./codeowners/match-pattern.js";
import { ownerKind } from "./codeowners/owner-kind.js";
import { splitLine } from "./codeowners/split-line.js";
import type { FileError } from "./file-error.js";
import type { SourceFile } from "./types.js";

/** One CODEOWNERS line GitHub uses: a pattern and its owners (`@user`, `@org/team`, or an email). */
export interface CodeownersRule {
  pattern: string;
  owners: string[];
  /** 1-based line in the file. */
  line: number;
  compiled: CompiledPattern;
}

/** A CODEOWNERS file as GitHub reads it: the rules it uses and the lines it skips. */
export interface ParsedCodeowners {
  rules: CodeownersRule[];
  /** Lines GitHub ignores whole (`codeowners.invalid-line`), or the whole file (`codeowners.too-large`). */
  skipped: FileError[];
}

/** The CODEOWNERS in use in a tree: where it was found (undefined: none), parsed. */
export interface Codeowners extends ParsedCodeowners {
  path: string | undefined;
}

/** Where GitHub looks for CODEOWNERS, in its order; it uses the first it finds, and only that one. */
export const CODEOWNERS_PATHS = [".github/CODEOWNERS", "CODEOWNERS", "docs/CODEOWNERS"];

/** GitHub loads only CODEOWNERS files under 3 MB ("About code owners", CODEOWNERS file size). */
export const MAX_CODEOWNERS_BYTES = 3 * 1024 * 1024;

const SKIPPED = "GitHub ignores this whole line";

function invalidPattern(pattern: string, p: PatternProblem): string {
  return `line skipped (invalid pattern): "${pattern}" ${p.what}; ${p.accepted}; ${SKIPPED}`;
}

function invalidOwner(owner: string): string {
  const hint = owner.includes("#") ? ' (a comment starts with "#" after a space)' : "";
  return `line skipped (invalid owner): "${owner}" is not @user, @org/team or an email address${hint}; ${SKIPPED}`;
}

function byteLength(text: string): number {
  // Every UTF-16 unit is at most 3 UTF-8 bytes: most files need no encoding to be measured.
  return text.length * 3 < MAX_CODEOWNERS_BYTES ? 0 : new TextEncoder().encode(text).length;
}

/**
 * Parses CODEOWNERS text as GitHub does. Comments and blank lines are skipped; a line whose
 * pattern or any of whose owners is invalid is skipped whole and reported at the offending token,
 * so a malformed line never adds an owner nor takes one away.
 */
export function parseCodeowners(text: string): ParsedCodeowners {
  const bytes = byteLength(text);
  if (bytes >= MAX_CODEOWNERS_BYTES) {
    const message = `CODEOWNERS is ${bytes} bytes; GitHub loads only files under 3 MB (${MAX_CODEOWNERS_BYTES} bytes), so no line of it owns anything`;
    return { rules: [], skipped: [{ line: 1, column: 1, code: "codeowners.too-large", message }] };
  }
  const rules: CodeownersRule[] = [];
  const skipped: FileError[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = i + 1;
    const [pattern, ...owners] = splitLine(raw);
    if (!pattern) return;
    const skip = (column: number, message: string) =>
      skipped.push({ line, column, code: "codeowners.invalid-line", message });
    const compiled = compilePattern(pattern.text);
    if (!compiled.ok) return skip(pattern.column, invalidPattern(pattern.text, compiled.problem));
    const bad = owners.find((o) => ownerKind(o.text) === undefined);
    if (bad) return skip(bad.column, invalidOwner(bad.text));
    rules.push({
      pattern: pattern.text,
      owners: owners.map((o) => o.text),
      line,
      compiled: compiled.pattern,
    });
  });
  return { rules, skipped };
}

/** The CODEOWNERS GitHub would use among `files`: the first of CODEOWNERS_PATHS present, parsed. */
export function readCodeowners(files: SourceFile[]): Codeowners {
  for (const path of CODEOWNERS_PATHS) {
    const file = files.find((f) => f.path === path);
    if (file) return { path, ...parseCodeowners(file.content) };
  }
  return { path: undefined, rules: [], skipped: [] };
}

/** The owners of `path`: the last matching rule wins (a rule with no owners means "no owner"). */
export function ownersOf(rules: CodeownersRule[], path: string): string[] {
  const parts = path.split("/");
  for (let i = rules.length - 1; i >= 0; i--) {
    const r = rules[i]!;
    if (matchesParts(r.compiled, parts)) return r.owners;
  }
  return [];
}
