import type { GitHubClient } from "./client.js";
import type { RepoRef } from "./repo-ref.js";
import type { MergeOutcome } from "../app/ports.js";

/** Merges only the approved head (`sha`): GitHub answers 409 if the head moved, 405 if not mergeable. */
export async function mergeApproved(
  gh: GitHubClient,
  r: RepoRef,
  number: number,
  sha: string,
): Promise<MergeOutcome> {
  try {
    const { data } = await gh.request("PUT /repos/{owner}/{repo}/pulls/{pull_number}/merge", {
      ...r,
      pull_number: number,
      sha,
      merge_method: "squash",
    });
    return { merged: true, sha: data.sha };
  } catch (e) {
    const status = (e as { status?: number }).status;
    if (status === 409)
      return {
        merged: false,
        reason: "the head moved after approval (409); the new head needs its own approval",
      };
    if (status === 405)
      return {
        merged: false,
        reason: "GitHub reports the pull request is not mergeable (405); a person needs to look",
      };
    throw e;
  }
}

/** Leaves a comment on a pull request. */
export async function comment(gh: GitHubClient, r: RepoRef, number: number, body: string): Promise<void> {
  await gh.request("POST /repos/{owner}/{repo}/issues/{issue_number}/comments", {
    ...r,
    issue_number: number,
    body,
  });
}
