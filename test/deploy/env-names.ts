import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

/** Upper-case names: what an environment variable is called here. */
const NAME = "[A-Z][A-Z0-9_]*";

/**
 * The environment variables a source text reads: `env.X`, `process.env.X`, `env["X"]`, and, where
 * the text indexes the environment with a computed key (`env[key]`, as a helper reading a number or
 * a file does), every upper-case string literal, since those are the keys the helpers are given.
 */
export function envNamesIn(source: string): Set<string> {
  const names = new Set<string>();
  for (const m of source.matchAll(new RegExp(`\\benv\\.(${NAME})\\b`, "g"))) names.add(m[1]!);
  for (const m of source.matchAll(new RegExp(`\\benv\\[\\s*["'\`](${NAME})["'\`]\\s*\\]`, "g")))
    names.add(m[1]!);
  if (/\benv\[\s*[a-z_]\w*\s*\]/.test(source))
    for (const m of source.matchAll(new RegExp(`["'](${NAME})["']`, "g")))
      if (m[1]!.length > 2) names.add(m[1]!);
  return names;
}

/** The environment variables read by the `.ts` files under each folder (recursively). */
export function envNamesUnder(root: string, folders: string[]): Set<string> {
  const names = new Set<string>();
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith(".ts")) for (const n of envNamesIn(readFileSync(p, "utf8"))) names.add(n);
    }
  };
  for (const f of folders) walk(join(root, f));
  return names;
}
