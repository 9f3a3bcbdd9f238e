import type { RevertInput } from "../app/ports.js";
import type { GitHubClient } from "./client.js";
import type { RepoRef } from "./repo-ref.js";
import { openPullFrom, startBranch } from "./start-branch.js";

/** The branch of a request's expiry revert. */
export function revertBranch(requestName: string): string {
  return `jitops/expire/${requestName}`;
}

/**
 * Opens (or finds) the pull request that deletes an expired request file, on branch
 * `jitops/expire/<name>`. Idempotent: an open revert PR for the request is reused, and a branch left
 * by an attempt that stopped before opening its PR is reset and reused.
 */
export async function openRevertPr(gh: GitHubClient, r: RepoRef, input: RevertInput): Promise<number> {
  const branch = revertBranch(input.name);
  const existing = await openPullFrom(gh, r, branch);
  if (existing) return existing.number;
  await startBranch(gh, r, branch, input.headSha);
  const { data: file } = await gh.request("GET /repos/{owner}/{repo}/contents/{path}", {
    ...r,
    path: input.path,
    ref: branch,
  });
  if (!Array.isArray(file) && file.type === "file") {
    await gh.request("DELETE /repos/{owner}/{repo}/contents/{path}", {
      ...r,
      path: input.path,
      message: `Expire ${input.name}: access ended at ${input.expiredAt}`,
      sha: file.sha,
      branch,
    });
  }
  const origin = input.originalPr
    ? `Access granted by #${input.originalPr}`
    : "Access granted by this request";
  const { data: pr } = await gh.request("POST /repos/{owner}/{repo}/pulls", {
    ...r,
    title: `Expire ${input.name}`,
    head: branch,
    base: input.defaultBranch,
    body: `${origin} expired at ${input.expiredAt}; the cloud no longer honours it. This pull request deletes \`${input.path}\` so Git and the cloud agree. Removals need no approval: jitops merges it.`,
  });
  return pr.number;
}
