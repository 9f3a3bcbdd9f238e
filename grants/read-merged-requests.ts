import { checkRequest, type CheckedRequest } from "../core/check-request.js";
import type { CompiledPolicy } from "../core/compile-policy.js";
import type { FileError } from "../core/file-error.js";
import type { GitHubClient } from "../github/client.js";
import { CACHE_BOUNDS, LruCache } from "../github/lru-cache.js";
import { listFolderAt, readFileAt } from "../github/read-file.js";
import type { RepoRef } from "../github/repo-ref.js";

/** A request file on the default branch, with the commit that last changed it. */
export interface GitRequest {
  path: string;
  content: string;
  /** The squash-merge commit that last changed the file: its author is the requester, its date the merge time. */
  commit: { sha: string; author: string | null; authorId: number | null; date: Date };
  checked: CheckedRequest | undefined;
  errors: FileError[];
}

const lastCommits = new LruCache<GitRequest["commit"]>(CACHE_BOUNDS.readMergedRequests);

/** The commit that last changed `path` on `ref` (newest first, one result). */
export async function lastCommitOf(
  gh: GitHubClient,
  r: RepoRef,
  path: string,
  ref: string,
): Promise<GitRequest["commit"] | undefined> {
  const key = `${r.owner}/${r.repo}@${ref}:${path}`;
  const hit = lastCommits.get(key);
  if (hit) return hit;
  const { data } = await gh.request("GET /repos/{owner}/{repo}/commits", {
    ...r,
    sha: ref,
    path,
    per_page: 1,
  });
  const c = data[0];
  if (!c) return undefined;
  const commit = {
    sha: c.sha,
    author: c.author?.login ?? null,
    authorId: c.author ? Number(c.author.id) : null,
    date: new Date(c.commit.committer?.date ?? c.commit.author?.date ?? 0),
  };
  // Keyed by ref SHA when callers pass one, so the answer never goes stale.
  lastCommits.set(key, commit);
  return commit;
}

/**
 * Reads every request file at `ref` with the commit that merged it, checked against the policy at
 * that time: a start must have been in the future when the request merged, and durations are
 * bounded by today's policy (a removed entitlement revokes).
 */
export async function readMergedRequests(
  gh: GitHubClient,
  r: RepoRef,
  ref: string,
  policy: CompiledPolicy,
): Promise<GitRequest[]> {
  const paths = (await listFolderAt(gh, r, "access/requests", ref)).filter((p) => /\.ya?ml$/.test(p)).sort();
  const out: GitRequest[] = [];
  for (const path of paths) {
    const [content, commit] = await Promise.all([
      readFileAt(gh, r, path, ref),
      lastCommitOf(gh, r, path, ref),
    ]);
    if (content === undefined || !commit) continue;
    const checked = checkRequest({ path, content }, policy, new Date(commit.date.getTime() - 1));
    out.push({
      path,
      content,
      commit,
      checked: checked.ok ? checked.value : undefined,
      errors: checked.ok ? [] : checked.errors,
    });
  }
  return out;
}
