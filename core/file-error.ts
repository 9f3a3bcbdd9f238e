/** A problem found in a user's file, positioned at the offending key or value (1-based). */
export interface FileError {
  line: number;
  column: number;
  code: string;
  message: string;
}

/** The outcome of parsing or checking one file: a value, or positioned errors. Never thrown. */
export type FileResult<T> = { ok: true; value: T } | { ok: false; errors: FileError[] };

/** Sorts errors by position, then code, so output is stable whatever the check order. */
export function sortErrors(errors: FileError[]): FileError[] {
  return [...errors].sort((a, b) => a.line - b.line || a.column - b.column || a.code.localeCompare(b.code));
}
