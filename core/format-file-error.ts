import type { FileError } from "./file-error.js";

/**
 * One finding as a line, `path:line:col code: message`, the form editors and CI logs link to; the
 * CLI, the Action and decision reasons all print findings through it. `code` may be decorated (colour).
 */
export function formatFileError(
  path: string,
  e: FileError,
  decorate: (code: string) => string = (c) => c,
): string {
  return `${path}:${e.line}:${e.column} ${decorate(e.code)}: ${e.message}`;
}
