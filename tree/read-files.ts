import { readdir, readFile } from "node:fs/promises";
import { join, relative, sep } from "node:path";
import type { SourceFile } from "../core/types.js";

/** Lists the YAML files directly in `dir` (relative to `root`), sorted; none when the folder is missing. */
export async function listYaml(root: string, dir: string, exclude?: RegExp): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(join(root, dir));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw e;
  }
  return names
    .filter((n) => /\.ya?ml$/.test(n) && !(exclude && exclude.test(n)))
    .sort()
    .map((n) => `${dir}/${n}`);
}

/** Reads files given relative to `root`; paths in the result use forward slashes. */
export async function readFiles(root: string, paths: string[]): Promise<SourceFile[]> {
  return Promise.all(
    paths.map(async (p) => ({
      path: relative(root, join(root, p)).split(sep).join("/"),
      content: await readFile(join(root, p), "utf8"),
    })),
  );
}
