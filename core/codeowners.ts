/** One CODEOWNERS line: a pattern and its owners (`@user`, `@org/team`, or an email). */
export interface CodeownersRule {
  pattern: string;
  owners: string[];
  matcher: RegExp;
}

/** Where GitHub looks for CODEOWNERS, in its order of precedence. */
export const CODEOWNERS_PATHS = [".github/CODEOWNERS", "CODEOWNERS", "docs/CODEOWNERS"];

/**
 * Compiles a CODEOWNERS pattern the way GitHub documents it, which differs from gitignore:
 * paths are case-sensitive, and `docs/*` owns direct children only, not nested files.
 * A pattern with a leading or inner `/` is anchored at the root; `dir/` owns everything below.
 */
export function compilePattern(pattern: string): RegExp {
  const dirOnly = pattern.endsWith("/");
  const body = pattern.replace(/^\//, "").replace(/\/$/, "");
  const anchored = pattern.startsWith("/") || body.includes("/");
  const segments = body.split("/");
  let re = "";
  segments.forEach((seg, i) => {
    const last = i === segments.length - 1;
    if (seg === "**") {
      re += last ? ".*" : "(?:.*/)?";
      return;
    }
    re += seg
      .replace(/[.+^${}()|[\]\\]/g, "\\$&")
      .replace(/\*/g, "[^/]*")
      .replace(/\?/g, "[^/]");
    if (!last) re += "/";
  });
  const lastSeg = segments[segments.length - 1] ?? "";
  // A wildcard last segment matches names at that level only; a plain name may be a folder.
  const tail = dirOnly ? "/.*" : /[*?]/.test(lastSeg) ? "" : "(?:/.*)?";
  return new RegExp(`${anchored ? "^" : "^(?:.*/)?"}${re}${tail}$`);
}

/** Parses CODEOWNERS text; comments, blank lines and negations (unsupported by GitHub) are skipped. */
export function parseCodeowners(text: string): CodeownersRule[] {
  const rules: CodeownersRule[] = [];
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.replace(/(^|\s)#.*$/, "").trim();
    if (!line) continue;
    const [pattern, ...owners] = line.split(/\s+/);
    if (!pattern || pattern.startsWith("!") || pattern.startsWith("[")) continue;
    rules.push({ pattern, owners, matcher: compilePattern(pattern) });
  }
  return rules;
}

/** The owners of `path`: the last matching rule wins (a rule with no owners means "no owner"). */
export function ownersOf(rules: CodeownersRule[], path: string): string[] {
  for (let i = rules.length - 1; i >= 0; i--) {
    const r = rules[i]!;
    if (r.matcher.test(path)) return r.owners;
  }
  return [];
}
