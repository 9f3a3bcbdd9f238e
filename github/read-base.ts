import { CODEOWNERS_PATHS } from "../core/codeowners.js";
import { prepareBase, type PreparedBase } from "../core/evaluate/prepare-base.js";
import { isPolicyPath } from "../core/load-policy.js";
import type { GitHubClient } from "./client.js";
import { CACHE_BOUNDS, LruCache } from "./lru-cache.js";
import { listFolderAt, readFileAt } from "./read-file.js";
import { fullName, type RepoRef } from "./repo-ref.js";

const cache = new LruCache<PreparedBase>(CACHE_BOUNDS.readBase);

/** The base commit's policy and CODEOWNERS, parsed; cached by commit SHA (commits never change). */
export async function readBase(gh: GitHubClient, r: RepoRef, sha: string): Promise<PreparedBase> {
  const key = `${fullName(r)}@${sha}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const paths = (await listFolderAt(gh, r, "policies", sha)).filter(isPolicyPath).sort();
  const files = await Promise.all(
    paths.map(async (path) => ({ path, content: (await readFileAt(gh, r, path, sha)) ?? "" })),
  );
  for (const p of CODEOWNERS_PATHS) {
    const content = await readFileAt(gh, r, p, sha);
    if (content !== undefined) {
      files.push({ path: p, content });
      break;
    }
  }
  const base = prepareBase(files);
  cache.set(key, base);
  return base;
}
