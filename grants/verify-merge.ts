import type { Decision } from "../core/evaluate/decision.js";
import { evaluatePull } from "../core/evaluate/evaluate-pull.js";
import { teamsToResolve } from "../core/evaluate/teams-to-resolve.js";
import type { GitHubClient } from "../github/client.js";
import { CACHE_BOUNDS, LruCache } from "../github/lru-cache.js";
import { readBase } from "../github/read-base.js";
import { readDirectory } from "../github/read-directory.js";
import { readFileAt } from "../github/read-file.js";
import { readPull } from "../github/read-pull.js";
import type { RepoRef } from "../github/repo-ref.js";

/** Whether a merge commit may grant: its PR was approved and the merged requests are what was approved. */
export interface MergeVerdict {
  granted: boolean;
  reason: string;
  pr?: { number: number; author: string; url?: string; decision?: Decision };
}

const verdicts = new LruCache<MergeVerdict>(CACHE_BOUNDS.verifyMerge);

/**
 * Re-checks, on the merged commit, that the pull request behind `mergeSha` was approved: the
 * decision against its base policy must be `approved` and each request file in the merge commit
 * must equal the approved head's. Fails closed: no PR, an API error or any mismatch grants nothing.
 */
export async function verifyMerge(
  gh: GitHubClient,
  r: RepoRef,
  mergeSha: string,
  now: Date,
): Promise<MergeVerdict> {
  const key = `${r.owner}/${r.repo}@${mergeSha}`;
  const hit = verdicts.get(key);
  if (hit) return hit;
  const { data: pulls } = await gh.request("GET /repos/{owner}/{repo}/commits/{commit_sha}/pulls", {
    ...r,
    commit_sha: mergeSha,
  });
  const merged = pulls.find((p) => p.merged_at && p.merge_commit_sha === mergeSha);
  if (!merged)
    return remember(key, {
      granted: false,
      reason: `commit ${mergeSha.slice(0, 12)} is not the merge of an approved pull request`,
    });
  const pull = await readPull(gh, r, merged.number);
  const base = await readBase(gh, r, pull.baseSha);
  const dir = await readDirectory(gh, pull.users, teamsToResolve(base, pull.snapshot.files));
  const at = merged.merged_at ? new Date(merged.merged_at) : now;
  const decision = evaluatePull(base, pull.snapshot, dir, at);
  const pr = { number: merged.number, author: pull.author.login, url: merged.html_url, decision };
  if (decision.decision !== "approved") {
    return remember(key, {
      granted: false,
      reason: `pull request #${merged.number} is ${decision.decision} on its merged head: ${decision.reasons.join("; ")}`,
      pr,
    });
  }
  for (const f of pull.snapshot.files) {
    if (f.status === "removed" || f.content === undefined) continue;
    const mergedContent = await readFileAt(gh, r, f.path, mergeSha);
    if (mergedContent !== f.content) {
      return remember(key, {
        granted: false,
        reason: `${f.path} in the merge commit differs from the approved head`,
        pr,
      });
    }
  }
  return remember(key, { granted: true, reason: `pull request #${merged.number} was approved`, pr });
}

function remember(key: string, v: MergeVerdict): MergeVerdict {
  verdicts.set(key, v);
  return v;
}
