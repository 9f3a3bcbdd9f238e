import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import type { CorpusFile } from "./fuzz-inputs.js";

function walk(dir: string, out: string[]): void {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return;
  }
  for (const name of names) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) walk(full, out);
    else out.push(full);
  }
}

/**
 * The files the repository ships that users write: policies, policy test cases, requests,
 * CODEOWNERS, and the YAML in the docs (files, and fenced ```yaml blocks of the Markdown).
 */
export function readCorpus(root: string): CorpusFile[] {
  const files: string[] = [];
  for (const dir of ["policies", "access", "docs"]) walk(join(root, dir), files);
  for (const f of ["CODEOWNERS", ".github/CODEOWNERS", "docs/CODEOWNERS"]) {
    try {
      if (statSync(join(root, f)).isFile()) files.push(join(root, f));
    } catch {
      // absent: GitHub looks in three places; a repository has at most one
    }
  }
  const corpus: CorpusFile[] = [];
  for (const full of files) {
    const path = relative(root, full);
    if (/\.ya?ml$/.test(path) || /CODEOWNERS$/.test(path)) {
      corpus.push({ path, content: readFileSync(full, "utf8") });
    } else if (path.endsWith(".md")) {
      const md = readFileSync(full, "utf8");
      let n = 0;
      for (const m of md.matchAll(/```ya?ml\n([\s\S]*?)```/g))
        corpus.push({ path: `${path}#yaml-${++n}`, content: m[1]! });
    }
  }
  return corpus.sort((a, b) => (a.path < b.path ? -1 : 1));
}
