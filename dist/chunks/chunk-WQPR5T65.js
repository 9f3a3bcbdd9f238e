import { createRequire as __jitopsCreateRequire } from 'node:module'; const require = __jitopsCreateRequire(import.meta.url);

// tree/read-files.ts
import { readdir, readFile } from "node:fs/promises";
import { join, relative, sep } from "node:path";
async function listYaml(root, dir, exclude) {
  let names;
  try {
    names = await readdir(join(root, dir));
  } catch (e) {
    if (e.code === "ENOENT") return [];
    throw e;
  }
  return names.filter((n) => /\.ya?ml$/.test(n) && !(exclude && exclude.test(n))).sort().map((n) => `${dir}/${n}`);
}
async function readFiles(root, paths) {
  return Promise.all(
    paths.map(async (p) => ({
      path: relative(root, join(root, p)).split(sep).join("/"),
      content: await readFile(join(root, p), "utf8")
    }))
  );
}

export {
  listYaml,
  readFiles
};
