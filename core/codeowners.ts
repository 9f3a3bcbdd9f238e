import ignore, { type Ignore } from "ignore";

/** One CODEOWNERS line: a gitignore-style pattern and its owners (`@user`, `@org/team`, or an email). */
export interface CodeownersRule {
  pattern: string;
  owners: string[];
  matcher: Ignore;
}

/** Where GitHub looks for CODEOWNERS, in its order of precedence. */
export const CODEOWNERS_PATHS = [".github/CODEOWNERS", "CODEOWNERS", "docs/CODEOWNERS"];

/** Parses CODEOWNERS text; comments and blank lines are skipped, `\#` and `\ ` escapes kept. */
export function parseCodeowners(text: string): CodeownersRule[] {
  const rules: CodeownersRule[] = [];
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.replace(/(^|\s)#.*$/, "").trim();
    if (!line) continue;
    const [pattern, ...owners] = line.split(/\s+/);
    if (!pattern || pattern.startsWith("!") || pattern.startsWith("[")) continue;
    rules.push({ pattern, owners, matcher: ignore().add(pattern) });
  }
  return rules;
}

/** The owners of `path`: the last matching rule wins (a rule with no owners means "no owner"). */
export function ownersOf(rules: CodeownersRule[], path: string): string[] {
  for (let i = rules.length - 1; i >= 0; i--) {
    const r = rules[i]!;
    if (r.matcher.ignores(path)) return r.owners;
  }
  return [];
}
