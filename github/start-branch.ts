import type { GitHubClient } from "./client.js";
import type { RepoRef } from "./repo-ref.js";

/**
 * Points `branch` at `sha`: creates it, or, when it is left from an earlier attempt that stopped
 * before opening its pull request (no open PR uses it: callers check first), force-moves it there
 * so what the caller writes next applies to what is at `sha` now.
 */
export async function startBranch(gh: GitHubClient, r: RepoRef, branch: string, sha: string): Promise<void> {
  try {
    await gh.request("POST /repos/{owner}/{repo}/git/refs", { ...r, ref: `refs/heads/${branch}`, sha });
  } catch (e) {
    if ((e as { status?: number }).status !== 422) throw e;
    await gh.request("PATCH /repos/{owner}/{repo}/git/refs/{ref}", {
      ...r,
      ref: `heads/${branch}`,
      sha,
      force: true,
    });
  }
}

/** The open pull request from `branch` of this repository, if there is one (a fork's same-named branch is not it). */
export async function openPullFrom(gh: GitHubClient, r: RepoRef, branch: string) {
  const { data } = await gh.request("GET /repos/{owner}/{repo}/pulls", {
    ...r,
    state: "open",
    head: `${r.owner}:${branch}`,
    per_page: 10,
  });
  return data.find((p) => p.head.ref === branch);
}
