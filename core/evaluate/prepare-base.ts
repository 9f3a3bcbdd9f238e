import { CODEOWNERS_PATHS, parseCodeowners, type CodeownersRule } from "../codeowners.js";
import { isPolicyPath, loadPolicy, type LoadedPolicy } from "../load-policy.js";
import type { SourceFile } from "../types.js";

/** The base commit's policy and CODEOWNERS, parsed once; cache it by base SHA. */
export interface PreparedBase {
  loaded: LoadedPolicy;
  codeowners: CodeownersRule[];
  policyFiles: SourceFile[];
}

/** Parses the base tree's policy files and CODEOWNERS (the first of GitHub's locations present). */
export function prepareBase(files: SourceFile[]): PreparedBase {
  const policyFiles = files.filter((f) => isPolicyPath(f.path));
  const owners = CODEOWNERS_PATHS.map((p) => files.find((f) => f.path === p)).find(Boolean);
  return {
    loaded: loadPolicy(policyFiles),
    codeowners: owners ? parseCodeowners(owners.content) : [],
    policyFiles,
  };
}

/** Is this path governed by policy owners (policy files, policy tests, CODEOWNERS)? */
export function isPolicyChangePath(path: string): boolean {
  return path.startsWith("policies/") || CODEOWNERS_PATHS.includes(path);
}
