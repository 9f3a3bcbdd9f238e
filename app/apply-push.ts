import { describeGrant } from "../core/describe-request.js";
import { relative } from "../core/plan/render-plan.js";
import { breakGlassAuditEvent } from "../core/audit-grant.js";
import type { RepoPorts } from "./ports.js";
import { reconcileGrants, recordGrant, type GrantDeps, type GrantReport } from "./reconcile-grants.js";
import { verifyMerge, type MergeVerdict } from "./verify-merge.js";

/** Label of the post-incident review issue of a break-glass grant. */
export const BREAK_GLASS_LABEL = "jitops/break-glass-review";

/** What applying a push to the default branch did. */
export interface ApplyResult {
  verdict: MergeVerdict;
  report: GrantReport;
  comment: string | undefined;
}

/**
 * On a push to the default branch: re-verifies that the commit is the merge of an approved pull
 * request (fail closed), reconciles the cloud with Git (so a crash half way converges on the next
 * run), then comments on the PR what was granted and until when, and sets a commit status. Cloud
 * IAM takes minutes to propagate: the comment says so and never claims more.
 */
export async function applyPush(deps: GrantDeps, repo: RepoPorts, sha: string): Promise<ApplyResult> {
  const verdict = await verifyMerge(deps.memory, repo, sha);
  const report = await reconcileGrants(deps, repo);
  const pr = verdict.pr;
  const failed = report.failed.length > 0;
  await repo.setStatus(
    sha,
    !verdict.granted || failed ? "failure" : "success",
    !verdict.granted
      ? verdict.reason
      : failed
        ? `${report.failed.length} change(s) failed; retried on reconcile`
        : "the cloud matches Git",
  );
  if (!pr) return { verdict, report, comment: undefined };
  const text = verdict.granted
    ? await describeApplied(deps, repo, report, verdict, pr.number)
    : `jitops granted nothing for this merge: ${verdict.reason}.`;
  await repo.comment(pr.number, text);
  return { verdict, report, comment: text };
}

async function describeApplied(
  deps: GrantDeps,
  repo: RepoPorts,
  report: GrantReport,
  verdict: MergeVerdict,
  number: number,
): Promise<string> {
  const requests = verdict.pr?.decision?.requests ?? [];
  const names = new Set(requests.map((x) => x.name).filter(Boolean));
  const now = deps.clock();
  const lines: string[] = [];
  for (const b of [...report.plan.add, ...report.plan.update].filter((x) => names.has(x.requestId))) {
    const until = `${b.notAfter.replace(".000Z", "Z")} (${relative(b.notAfter, now)})`;
    const failure = report.failed.find((f) => f.id === b.id);
    lines.push(
      failure
        ? `- **not granted** ${describeGrant(b.grant)} to \`${b.principal}\`: ${failure.error}; retried on the next reconcile`
        : Date.parse(b.notBefore) > now.getTime() && b.provider === "kubernetes"
          ? `- scheduled ${describeGrant(b.grant)} for \`${b.principal}\` from ${b.notBefore} until ${until}`
          : `- granted ${describeGrant(b.grant)} to \`${b.principal}\` until ${until}; effective within minutes as the provider propagates it`,
    );
  }
  for (const a of report.plan.remove) {
    const failure = report.failed.find((f) => f.id === a.id);
    lines.push(
      failure
        ? `- **not yet revoked** \`${a.id}\`: ${failure.error}; retried on the next reconcile`
        : `- revoked \`${a.id}\` from \`${a.principal}\`; the provider stops honouring it within minutes`,
    );
  }
  const planned = new Set(
    [...report.plan.add, ...report.plan.update, ...report.plan.remove].map((x) => x.id),
  );
  for (const f of report.failed.filter((x) => !planned.has(x.id)))
    lines.push(`- **could not check** ${f.id}: ${f.error}; retried on the next reconcile`);
  for (const bg of requests.filter((x) => x.breakGlass)) {
    const author = verdict.pr?.author ?? "?";
    const approvers = await entitlementApprovers(repo, report.headSha, bg.entitlement ?? "", author);
    const issue = await openBreakGlassReview(
      repo,
      number,
      bg.name ?? bg.path,
      bg.entitlement ?? "?",
      author,
      approvers,
    );
    lines.push(
      `- break-glass: post-incident review opened as #${issue}, assigned to ${approvers.map((a) => `@${a}`).join(", ") || "nobody (no approver could be resolved)"}`,
    );
    await recordGrant(
      deps,
      breakGlassAuditEvent({
        now,
        repository: repo.repository,
        commit: report.headSha,
        requestId: bg.name ?? bg.path,
        principal: bg.principal ?? author,
        pr: number,
        review: issue,
      }),
    );
  }
  if (lines.length > 0) return ["jitops applied this merge:", ...lines].join("\n");
  return names.size > 0
    ? "jitops found these grants already in place: nothing to change."
    : "This merge changes no grants.";
}

/** The people who could approve the entitlement normally (rule users and team members), but not the author: at most 10, GitHub's limit. */
async function entitlementApprovers(
  repo: RepoPorts,
  sha: string,
  entitlement: string,
  author: string,
): Promise<string[]> {
  const e = (await repo.base(sha)).loaded.policy?.entitlements.get(entitlement)?.source;
  if (!e || e.approval === "none") return [];
  const people = new Set<string>();
  for (const rule of e.approval) {
    for (const u of rule.from.users ?? []) people.add(u);
    for (const t of rule.from.teams ?? [])
      for (const m of await repo.team(t)) if (m.type !== "Bot") people.add(m.login);
  }
  people.delete(author);
  return [...people].sort().slice(0, 10);
}

async function openBreakGlassReview(
  repo: RepoPorts,
  pr: number,
  name: string,
  entitlement: string,
  author: string,
  assignees: string[],
): Promise<number> {
  return repo.openIssue({
    title: `Break-glass review: ${name}`,
    labels: [BREAK_GLASS_LABEL],
    assignees,
    body: `@${author} used break-glass access to \`${entitlement}\` without approval (#${pr}). An approver of that entitlement reviews what was done and closes this issue.`,
  });
}
