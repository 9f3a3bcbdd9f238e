import { describeGrant } from "../core/describe-request.js";
import { relative } from "../core/plan/render-plan.js";
import type { GitHubClient } from "../github/client.js";
import { comment } from "../github/merge-pull.js";
import type { RepoRef } from "../github/repo-ref.js";
import { reconcileGrants, type GrantDeps, type GrantReport } from "./reconcile-grants.js";
import { verifyMerge, type MergeVerdict } from "./verify-merge.js";

/** Name of the commit status the bot sets on a merge commit once its grants are applied. */
export const GRANT_STATUS = "jitops/grant";

/** What applying a merged pull request did. */
export interface ApplyResult {
  verdict: MergeVerdict;
  report: GrantReport | undefined;
  comment: string;
}

/**
 * On merge: re-verifies the approval on the merged commit (fail closed), reconciles the cloud with
 * Git (so a crash half way converges on the next run), then comments what was granted and until
 * when, and sets a commit status. Cloud IAM takes minutes to propagate: the comment says so.
 */
export async function applyMergedPull(
  deps: GrantDeps,
  r: RepoRef,
  pr: { number: number; mergeSha: string },
): Promise<ApplyResult> {
  const verdict = await verifyMerge(deps.gh, r, pr.mergeSha, deps.now());
  if (!verdict.granted) {
    const text = `jitops granted nothing for this merge: ${verdict.reason}.`;
    await comment(deps.gh, r, pr.number, text);
    await status(
      deps.gh,
      r,
      pr.mergeSha,
      "failure",
      "not granted: approval did not hold on the merged commit",
    );
    return { verdict, report: undefined, comment: text };
  }
  const report = await reconcileGrants(deps, r);
  const names = new Set((verdict.pr?.decision?.requests ?? []).map((x) => x.name).filter(Boolean));
  const mine = [...report.plan.add, ...report.plan.update].filter((b) => names.has(b.requestId));
  const failed = report.failed.filter((f) => names.has(f.id.split("/")[0]!));
  const now = deps.now();
  const lines = mine.map((b) => {
    const ok = report.done.includes(b.id);
    const until = `${b.notAfter.replace(".000Z", "Z")} (${relative(b.notAfter, now)})`;
    return ok
      ? `- granted ${describeGrant(b.grant)} to \`${b.principal}\` until ${until}; effective within minutes as the provider propagates it`
      : `- **not granted** ${describeGrant(b.grant)} to \`${b.principal}\`: ${failed.find((f) => f.id === b.id)?.error ?? "failed"}; retried on the next reconcile`;
  });
  for (const a of report.plan.remove) {
    lines.push(
      report.done.includes(a.id)
        ? `- revoked \`${a.id}\` from \`${a.principal}\`; the provider stops honouring it within minutes`
        : `- **not yet revoked** \`${a.id}\`: ${report.failed.find((f) => f.id === a.id)?.error ?? "failed"}; retried on the next reconcile`,
    );
  }
  const breakGlass = (verdict.pr?.decision?.requests ?? []).filter((x) => x.breakGlass);
  for (const bg of breakGlass) {
    const issue = await openBreakGlassReview(
      deps.gh,
      r,
      pr.number,
      bg.name ?? bg.path,
      bg.entitlement ?? "?",
      verdict.pr?.author ?? "?",
    );
    lines.push(`- break-glass: post-incident review opened as #${issue}`);
  }
  const text =
    lines.length > 0
      ? ["jitops applied this request:", ...lines].join("\n")
      : names.size > 0
        ? "jitops found these grants already in place: nothing to change."
        : "This merge changes no grants.";
  await comment(deps.gh, r, pr.number, text);
  await status(
    deps.gh,
    r,
    pr.mergeSha,
    failed.length > 0 ? "failure" : "success",
    failed.length > 0 ? `${failed.length} binding(s) failed; retried on reconcile` : "grants applied",
  );
  return { verdict, report, comment: text };
}

/** Label of the post-incident review issue of a break-glass grant. */
export const BREAK_GLASS_LABEL = "jitops/break-glass-review";

async function openBreakGlassReview(
  gh: GitHubClient,
  r: RepoRef,
  pr: number,
  name: string,
  entitlement: string,
  author: string,
): Promise<number> {
  const { data } = await gh.request("POST /repos/{owner}/{repo}/issues", {
    ...r,
    title: `Break-glass review: ${name}`,
    labels: [BREAK_GLASS_LABEL],
    body: `@${author} used break-glass access to \`${entitlement}\` without approval (#${pr}). An approver of that entitlement reviews what was done and closes this issue.`,
  });
  return data.number;
}

async function status(
  gh: GitHubClient,
  r: RepoRef,
  sha: string,
  state: "success" | "failure",
  description: string,
): Promise<void> {
  await gh.request("POST /repos/{owner}/{repo}/statuses/{sha}", {
    ...r,
    sha,
    state,
    context: GRANT_STATUS,
    description: description.slice(0, 140),
  });
}
