import type { RepoPorts } from "../app/ports.js";
import type { GitHubSession } from "./github-caches.js";
import { defaultBranchHead } from "./default-branch.js";
import { comment, mergeApproved } from "./merge-pull.js";
import { openRevertPr } from "./open-revert-pr.js";
import { readBase } from "./read-base.js";
import { readDirectory, readTeam } from "./read-directory.js";
import { readFileAt } from "./read-file.js";
import { readMergedRequests } from "./read-merged-requests.js";
import { readPull } from "./read-pull.js";
import { fullName, type RepoRef } from "./repo-ref.js";
import { requestReviews } from "./request-reviews.js";
import { upsertStickyComment } from "./sticky-comment.js";
import { writeCheck } from "./write-check.js";

/** Name of the commit status the bot sets on a default-branch commit once its grants are applied. */
export const GRANT_STATUS = "jitops/grant";

/**
 * One repository's ports over the GitHub API: the use cases' reads (cached in the session's
 * caches, keyed by its scope) and writes. `detailsUrl` is where check runs' "Details" link points.
 */
export function gitHubRepo(s: GitHubSession, r: RepoRef, detailsUrl: string): RepoPorts {
  const { gh } = s;
  return {
    repository: fullName(r),
    owner: r.owner,
    key: `${s.scope}/${fullName(r)}`,
    pull: (number, opts = {}) => readPull(s, r, number, opts.expectedHead, opts.known),
    base: (sha) => readBase(s, r, sha),
    directory: (users, teams) => readDirectory(s, users, teams),
    team: (team) => readTeam(s, team),
    fileAt: (path, sha) => readFileAt(s, r, path, sha),
    mergedPullOf: async (sha) => {
      const { data } = await gh.request("GET /repos/{owner}/{repo}/commits/{commit_sha}/pulls", {
        ...r,
        commit_sha: sha,
      });
      const merged = data.find((p) => p.merged_at && p.merge_commit_sha === sha);
      return merged?.merged_at
        ? { number: merged.number, mergedAt: merged.merged_at, url: merged.html_url }
        : undefined;
    },
    openPulls: async function* () {
      for await (const page of gh.paginate.iterator("GET /repos/{owner}/{repo}/pulls", {
        ...r,
        state: "open",
        per_page: 100,
      }))
        yield page.data;
    },
    defaultBranch: () => defaultBranchHead(gh, r),
    mergedRequests: (sha, policy) => readMergedRequests(s, r, sha, policy),
    writeCheck: (head, check, opts) => writeCheck(s, r, head, check, detailsUrl, opts),
    merge: (number, head) => mergeApproved(gh, r, number, head),
    comment: (number, body) => comment(gh, r, number, body),
    requestReviews: (number, who) => requestReviews(gh, r, number, who),
    stickyComment: (number, marker, body) => upsertStickyComment(s, r, number, marker, body),
    setStatus: async (sha, state, description) => {
      await gh.request("POST /repos/{owner}/{repo}/statuses/{sha}", {
        ...r,
        sha,
        state,
        context: GRANT_STATUS,
        description: description.slice(0, 140),
      });
    },
    openIssue: async (issue) => {
      const { data } = await gh.request("POST /repos/{owner}/{repo}/issues", { ...r, ...issue });
      return data.number;
    },
    openRevertPr: (input) => openRevertPr(gh, r, input),
  };
}
