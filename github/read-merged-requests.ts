import { checkRequest } from "../core/check-request.js";
import type { CompiledPolicy } from "../core/compile-policy.js";
import type { GitHubSession } from "./github-caches.js";
import { listFolderAt, readFileAt } from "./read-file.js";
import { fullName, type RepoRef } from "./repo-ref.js";
import type { GitRequest } from "../app/ports.js";

/** The commit that last changed `path` on `ref` (newest first, one result). */
export async function lastCommitOf(
  s: GitHubSession,
  r: RepoRef,
  path: string,
  ref: string,
): Promise<GitRequest["commit"] | undefined> {
  const key = `${s.scope}/${fullName(r)}@${ref}:${path}`;
  const hit = s.caches.lastCommits.get(key);
  if (hit) return hit;
  const { data } = await s.gh.request("GET /repos/{owner}/{repo}/commits", {
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
  s.caches.lastCommits.set(key, commit);
  return commit;
}

/**
 * Reads every request file at `ref` with the commit that merged it, checked against the policy at
 * that time: a start must have been in the future when the request merged, and durations are
 * bounded by today's policy (a removed entitlement revokes).
 */
export async function readMergedRequests(
  s: GitHubSession,
  r: RepoRef,
  ref: string,
  policy: CompiledPolicy,
): Promise<GitRequest[]> {
  const paths = (await listFolderAt(s, r, "access/requests", ref)).filter((p) => /\.ya?ml$/.test(p)).sort();
  const out: GitRequest[] = [];
  for (const path of paths) {
    const [content, commit] = await Promise.all([readFileAt(s, r, path, ref), lastCommitOf(s, r, path, ref)]);
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
