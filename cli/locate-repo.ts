import { stat } from "node:fs/promises";
import { resolve } from "node:path";
import { ConfigError } from "../core/config-error.js";
import { findRepoRoot } from "../tree/find-repo-root.js";
import { repoPath } from "../tree/repo-path.js";
import { UsageError } from "./command-spec.js";

/** Where a command runs: the repository root, and the folder relative arguments start from. */
export interface RepoLocation {
  /** The access repository's root (real path): the folder holding policies/. */
  root: string;
  /** The working directory, or the `-C` folder: relative file arguments are resolved from it. */
  from: string;
}

/**
 * Finds the repository like git does: from the working directory, or from `-C DIR` (relative to
 * it or absolute), up to the nearest folder holding `policies/`. Not found is a ConfigError
 * saying where it looked and how to fix it.
 */
export async function locateRepo(cwd: string, dir: string | undefined): Promise<RepoLocation> {
  const from = resolve(cwd, dir ?? ".");
  if (dir !== undefined) {
    const s = await stat(from).catch(() => undefined);
    if (!s?.isDirectory())
      throw new ConfigError(
        `-C ${dir}: ${s ? "not a folder" : "no such folder"} (${from})`,
        "pass -C the root of your access repository, the folder holding policies/",
      );
  }
  const root = await findRepoRoot(from);
  if (!root)
    throw new ConfigError(
      `no policies/ folder found in ${from} or any parent`,
      "run from your access repository or pass -C DIR",
    );
  return { root, from };
}

/**
 * File arguments as repository-relative paths (`access/requests/x.yaml`): absolute as given,
 * relative from the working directory (or -C). One outside the repository is a usage error naming it.
 */
export async function repoArgs(loc: RepoLocation, args: string[]): Promise<string[]> {
  const out: string[] = [];
  for (const a of args) {
    const p = await repoPath(loc.root, resolve(loc.from, a));
    if (p === undefined)
      throw new UsageError(
        `${a} is outside the repository ${loc.root}; give paths inside it, or pass -C the repository that holds it`,
      );
    out.push(p);
  }
  return out;
}
