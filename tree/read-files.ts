import { lstat, readdir, readFile, readlink, stat } from "node:fs/promises";
import { join, relative, sep } from "node:path";
import { ConfigError } from "../core/config-error.js";
import type { FileError } from "../core/file-error.js";
import type { SourceFile } from "../core/types.js";

/** Lists the YAML names directly in `dir` (relative to `root`), sorted; none when the folder is missing. */
export async function listYaml(root: string, dir: string, exclude?: RegExp): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(join(root, dir));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === "ENOENT") return [];
    if (code === "ENOTDIR") throw new ConfigError(`${dir} is a file, not a folder`);
    throw e;
  }
  // Every matching name, folders too: reading then reports a folder named x.yaml by its path.
  return names
    .filter((n) => /\.ya?ml$/.test(n) && !(exclude && exclude.test(n)))
    .sort()
    .map((n) => (dir === "." ? n : `${dir}/${n}`));
}

/** A file read from a checkout, or why it could not be: a finding at 1:1 with its own code. */
export type ReadOutcome = SourceFile | { path: string; error: FileError };

const problem = (code: string, message: string): FileError => ({ line: 1, column: 1, code, message });

/** Why `path` is not a regular file that can be read, or undefined when it is one. */
async function notReadable(root: string, path: string): Promise<FileError | undefined> {
  const full = join(root, path);
  try {
    const s = await stat(full);
    if (s.isDirectory()) return problem("file.not-regular", `${path} is a folder, not a file`);
    // A FIFO or device would block or stream forever: refuse it before reading.
    if (!s.isFile()) return problem("file.not-regular", `${path} is not a regular file`);
    return undefined;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ENOTDIR") {
      const link = await lstat(full).then(
        (l) => (l.isSymbolicLink() ? readlink(full) : undefined),
        () => undefined,
      );
      return link === undefined
        ? problem("file.missing", `${path}: no such file`)
        : problem("file.missing", `${path} is a symbolic link to ${link}, which does not exist`);
    }
    if (code === "EACCES" || code === "EPERM")
      return problem("file.unreadable", `${path} cannot be read: permission denied`);
    throw e;
  }
}

/**
 * Reads files given relative to `root`, each on its own: a missing file, a folder or a broken
 * link becomes a finding for that path and the others are still read. Paths come back normalised,
 * with forward slashes.
 */
export async function readEach(root: string, paths: string[]): Promise<ReadOutcome[]> {
  return Promise.all(
    paths.map(async (given): Promise<ReadOutcome> => {
      const path = relative(root, join(root, given)).split(sep).join("/");
      const error = await notReadable(root, path);
      if (error) return { path, error };
      try {
        return { path, content: await readFile(join(root, path), "utf8") };
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        if (code === "EACCES" || code === "EPERM")
          return { path, error: problem("file.unreadable", `${path} cannot be read: permission denied`) };
        throw e;
      }
    }),
  );
}

/** Reads files given relative to `root`; one that cannot be read is a configuration error naming it. */
export async function readFiles(root: string, paths: string[]): Promise<SourceFile[]> {
  const read = await readEach(root, paths);
  for (const r of read) if ("error" in r) throw new ConfigError(r.error.message);
  return read as SourceFile[];
}
