import { sortErrors, type FileError } from "./file-error.js";

/** Most errors reported for one file; the rest are counted in one `errors.truncated` entry. */
export const MAX_ERRORS_PER_FILE = 50;

/**
 * Sorts a file's errors and keeps the first MAX_ERRORS_PER_FILE, closing with an `errors.truncated`
 * entry (at the first one left out) that says how many more there are. A hostile file can hold
 * thousands of mistakes; the user needs the first few, and every later layer stays linear.
 */
export function capErrors(errors: FileError[]): FileError[] {
  const sorted = sortErrors(errors);
  if (sorted.length <= MAX_ERRORS_PER_FILE) return sorted;
  const more = sorted.length - MAX_ERRORS_PER_FILE;
  const first = sorted[MAX_ERRORS_PER_FILE]!;
  return [
    ...sorted.slice(0, MAX_ERRORS_PER_FILE),
    {
      line: first.line,
      column: first.column,
      code: "errors.truncated",
      message: `${more} more error${more === 1 ? "" : "s"} not shown (at most ${MAX_ERRORS_PER_FILE} are reported per file); fix the ones above and validate again`,
    },
  ];
}
