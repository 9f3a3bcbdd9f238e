import { CERTIFICATIONS_DIR } from "../core/certification/certification-path.js";
import { CODEOWNERS_PATHS } from "../core/codeowners.js";
import type { SourceFile } from "../core/types.js";
import { listYaml, readFiles } from "./read-files.js";
import { stat } from "node:fs/promises";
import { join } from "node:path";

/**
 * The CODEOWNERS GitHub would use in a checkout: the first regular file among its locations, in
 * GitHub's order. Only that one: GitHub ignores the others, even when the first is empty.
 */
export async function findCodeownersPath(root: string): Promise<string | undefined> {
  for (const p of CODEOWNERS_PATHS) {
    const found = await stat(join(root, p)).then(
      (s) => s.isFile(),
      // Absent is "not here"; any other failure names this file, so reading it reports why.
      (e: NodeJS.ErrnoException) => e.code !== "ENOENT" && e.code !== "ENOTDIR",
    );
    if (found) return p;
  }
  return undefined;
}

/**
 * Reads the files a decision's base needs from a checkout: policies/*.yaml, the CODEOWNERS in use,
 * and the certification records (access/certifications/*.yaml) that say what is certified.
 */
export async function readRepoBase(root: string): Promise<SourceFile[]> {
  const policies = await listYaml(root, "policies");
  const owners = await findCodeownersPath(root);
  const records = await listYaml(root, CERTIFICATIONS_DIR);
  return readFiles(root, [...policies, ...(owners ? [owners] : []), ...records]);
}
