import { realpath, stat } from "node:fs/promises";
import { dirname, join } from "node:path";

/** Is `dir` a folder holding a `policies/` folder, the mark of an access repository's root? */
export async function holdsPolicies(dir: string): Promise<boolean> {
  return stat(join(dir, "policies")).then(
    (s) => s.isDirectory(),
    () => false,
  );
}

/**
 * The access repository's root: `start` or its nearest parent holding `policies/`, as a real
 * path (symlinks resolved, so files reached through a link compare equal). Undefined when none does.
 */
export async function findRepoRoot(start: string): Promise<string | undefined> {
  let dir = await realpath(start);
  for (;;) {
    if (await holdsPolicies(dir)) return dir;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}
