import type { GitHubClient } from "./client.js";
import { fullName, type RepoRef } from "./repo-ref.js";

/** The repository's default branch and the commit at its head. */
export async function defaultBranchHead(
  gh: GitHubClient,
  r: RepoRef,
): Promise<{ name: string; headSha: string }> {
  const { data: repo } = await gh.request("GET /repos/{owner}/{repo}", { ...r });
  const { data: head } = await gh.request("GET /repos/{owner}/{repo}/commits", {
    ...r,
    sha: repo.default_branch,
    per_page: 1,
  });
  if (!head[0]) throw new Error(`${fullName(r)} has no commit on ${repo.default_branch}`);
  return { name: repo.default_branch, headSha: head[0].sha };
}
