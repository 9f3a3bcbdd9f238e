import { checkRequest, type CheckedRequest } from "./check-request.js";
import { CODEOWNERS_PATHS } from "./codeowners.js";
import { checkCodeowners } from "./codeowners/check-codeowners.js";
import { loadPolicy, type FileCheck } from "./load-policy.js";
import type { FileResult } from "./file-error.js";
import { internalError } from "./internal-error.js";
import type { SourceFile } from "./types.js";

/** What `jitops validate` reports: every policy file, then every request file. */
export interface ValidationReport {
  ok: boolean;
  results: FileCheck[];
}

/** How to judge the request files. */
export interface ValidateOptions {
  /** Paths of requests already merged on the default branch, unchanged: their start may have passed. */
  merged?: ReadonlySet<string>;
}

/**
 * Checks the policy files and the request files against them at time `now`; `checked` holds the
 * requests that passed, for summaries.
 */
export function validateFiles(
  policyFiles: SourceFile[],
  requestFiles: SourceFile[],
  now: Date,
  opts: ValidateOptions = {},
): ValidationReport & { checked: CheckedRequest[] } {
  // The CODEOWNERS GitHub uses may come with the policy files: checked line by line, never loaded as policy.
  const loaded = loadPolicy(policyFiles.filter((f) => !CODEOWNERS_PATHS.includes(f.path)));
  const results = [...loaded.results, ...checkCodeowners(policyFiles)];
  const checked: CheckedRequest[] = [];
  for (const file of requestFiles) {
    const r = guarded(() =>
      checkRequest(file, loaded.policy, now, { merged: opts.merged?.has(file.path) === true }),
    );
    results.push({ path: file.path, ok: r.ok, errors: r.ok ? [] : r.errors });
    if (r.ok) checked.push(r.value);
  }
  return { ok: results.every((r) => r.ok), results, checked };
}

/** Last resort: a check that throws (a bug) fails its own file, never the others. */
function guarded<T>(check: () => FileResult<T>): FileResult<T> {
  try {
    return check();
  } catch (e) {
    return { ok: false, errors: [internalError(e)] };
  }
}
