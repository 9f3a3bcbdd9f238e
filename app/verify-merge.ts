import type { Decision } from "../core/evaluate/decision.js";
import { evaluatePull } from "../core/evaluate/evaluate-pull.js";
import { teamsToResolve } from "../core/evaluate/teams-to-resolve.js";
import type { PullSource } from "./ports.js";
import type { UseCaseMemory } from "./use-case-memory.js";

/** Whether a merge commit may grant: its PR was approved and the merged requests are what was approved. */
export interface MergeVerdict {
  granted: boolean;
  reason: string;
  pr?: { number: number; author: string; url?: string; decision?: Decision };
}

/**
 * Re-checks, on the merged commit, that the pull request behind `mergeSha` was approved: the
 * decision against its base policy must be `approved` and each request file in the merge commit
 * must equal the approved head's. Fails closed: no PR, an API error or any mismatch grants nothing.
 */
export async function verifyMerge(
  memory: UseCaseMemory,
  repo: PullSource,
  mergeSha: string,
): Promise<MergeVerdict> {
  const key = `${repo.key}@${mergeSha}`;
  const hit = memory.verdicts.get(key);
  if (hit) return hit;
  const remember = (v: MergeVerdict) => {
    memory.verdicts.set(key, v);
    return v;
  };
  const merged = await repo.mergedPullOf(mergeSha);
  if (!merged)
    return remember({
      granted: false,
      reason: `commit ${mergeSha.slice(0, 12)} is not the merge of an approved pull request`,
    });
  const pull = await repo.pull(merged.number);
  const base = await repo.base(pull.baseSha);
  const dir = await repo.directory(pull.users, teamsToResolve(base, pull.snapshot.files));
  const decision = evaluatePull(base, pull.snapshot, dir, new Date(merged.mergedAt));
  const pr = { number: merged.number, author: pull.author.login, url: merged.url, decision };
  if (decision.decision !== "approved") {
    return remember({
      granted: false,
      reason: `pull request #${merged.number} is ${decision.decision} on its merged head: ${decision.reasons.join("; ")}`,
      pr,
    });
  }
  for (const f of pull.snapshot.files) {
    if (f.status === "removed" || f.content === undefined) continue;
    const mergedContent = await repo.fileAt(f.path, mergeSha);
    if (mergedContent !== f.content) {
      return remember({
        granted: false,
        reason: `${f.path} in the merge commit differs from the approved head`,
        pr,
      });
    }
  }
  return remember({ granted: true, reason: `pull request #${merged.number} was approved`, pr });
}
