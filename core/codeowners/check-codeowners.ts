import { readCodeowners } from "../codeowners.js";
import type { FileCheck } from "../load-policy.js";
import type { SourceFile } from "../types.js";

/**
 * The check of the CODEOWNERS GitHub would use among `files` (none when there is none): every
 * line GitHub skips is an error at its line and column, so `jitops validate` and the Action
 * report it where it is written.
 */
export function checkCodeowners(files: SourceFile[]): FileCheck[] {
  const c = readCodeowners(files);
  if (c.path === undefined) return [];
  return [{ path: c.path, ok: c.skipped.length === 0, errors: c.skipped }];
}
