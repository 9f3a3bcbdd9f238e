import { CODEOWNERS_PATHS } from "../core/codeowners.js";
import type { SourceFile } from "../core/types.js";
import { listYaml, readFiles } from "./read-files.js";
import { existsSync } from "node:fs";
import { join } from "node:path";

/** Reads the files a decision's base needs from a checkout: policies/*.yaml and CODEOWNERS. */
export async function readRepoBase(root: string): Promise<SourceFile[]> {
  const policies = await listYaml(root, "policies");
  const owners = CODEOWNERS_PATHS.filter((p) => existsSync(join(root, p)));
  return readFiles(root, [...policies, ...owners]);
}
