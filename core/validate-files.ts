import { checkRequest } from "./check-request.js";
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
  const loaded = loadPolicy(policyFiles);
  const results = [...loaded.results];
  for (const file of requestFiles) {
    const r = checkRequest(file, loaded.policy, now);
    results.push({ path: file.path, ok: r.ok, errors: r.ok ? [] : r.errors });
  }
  return { ok: results.every((r) => r.ok), results };
}
