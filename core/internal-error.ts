import type { FileError } from "./file-error.js";

/**
 * The error for a file whose check threw: a bug in jitops, reported on that file (fail closed)
 * instead of aborting the other files or the whole decision.
 */
export function internalError(e: unknown): FileError {
  const why = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
  return {
    line: 1,
    column: 1,
    code: "internal.error",
    message: `jitops failed while checking this file (${why.slice(0, 200)}); this is a bug in jitops: please report it with the file`,
  };
}
