import { checkRequest } from "./check-request.js";
import { CODEOWNERS_PATHS } from "./codeowners.js";
import { checkCodeowners } from "./codeowners/check-codeowners.js";
import { loadPolicy, type FileCheck } from "./load-policy.js";
import type { SourceFile } from "./types.js";

/** What `jitops validate` reports: every policy file, then every request file. */
export interface ValidationReport {
  ok: boolean;
  results: FileCheck[];
}

/** Checks the policy files and the request files against them at time `now`. */
export function validateFiles(
  policyFiles: SourceFile[],
  requestFiles: SourceFile[],
  now: Date,
): ValidationReport {
  // The CODEOWNERS GitHub uses may come with the policy files: checked line by line, never loaded as policy.
  const loaded = loadPolicy(policyFiles.filter((f) => !CODEOWNERS_PATHS.includes(f.path)));
  const results = [...loaded.results, ...checkCodeowners(policyFiles)];
  for (const file of requestFiles) {
    const r = checkRequest(file, loaded.policy, now);
    results.push({ path: file.path, ok: r.ok, errors: r.ok ? [] : r.errors });
  }
  return { ok: results.every((r) => r.ok), results };
}
