import type { SimApp, SimCheckRun, SimRepo } from "../types.js";
import { appShape } from "./apps.js";
import { nodeId, type ShapeContext } from "./context.js";

function pullRequestsFor(ctx: ShapeContext, r: SimRepo, sha: string) {
  const repoRef = { id: r.id, url: `${ctx.base}/repos/${r.owner}/${r.name}`, name: r.name };
  return [...ctx.state.pullsOf(r).values()]
    .filter((p) => p.state === "open" && p.headSha === sha)
    .map((p) => ({
      url: `${ctx.base}/repos/${r.owner}/${r.name}/pulls/${p.number}`,
      id: p.id,
      number: p.number,
      head: { ref: p.headRef, sha: p.headSha, repo: repoRef },
      base: { ref: p.baseRef, sha: ctx.state.baseSha(r, p), repo: repoRef },
    }));
}

/** A check run as REST `check-run` describes it. */
export function checkRunShape(ctx: ShapeContext, r: SimRepo, app: SimApp, c: SimCheckRun) {
  const url = `${ctx.base}/repos/${r.owner}/${r.name}/check-runs/${c.id}`;
  return {
    id: c.id,
    node_id: nodeId("CheckRun", c.id),
    head_sha: c.headSha,
    external_id: c.externalId ?? "",
    url,
    html_url: `${ctx.base}/${r.owner}/${r.name}/runs/${c.id}`,
    details_url: c.detailsUrl ?? `${ctx.base}/${r.owner}/${r.name}/runs/${c.id}`,
    status: c.status,
    conclusion: c.conclusion,
    started_at: c.startedAt,
    completed_at: c.completedAt,
    output: { ...c.output, annotations_count: 0, annotations_url: `${url}/annotations` },
    name: c.name,
    check_suite: { id: c.suiteId },
    app: appShape(ctx, app),
    pull_requests: pullRequestsFor(ctx, r, c.headSha),
  };
}

/** A completed check run as the `check_run` webhook (rerequested) carries it. */
export function webhookCheckRunShape(ctx: ShapeContext, r: SimRepo, app: SimApp, c: SimCheckRun) {
  const rest = checkRunShape(ctx, r, app, c);
  const prs = rest.pull_requests;
  const branch = [...r.branches].find(([, sha]) => sha === c.headSha)?.[0] ?? null;
  return {
    ...rest,
    completed_at: c.completedAt ?? c.startedAt,
    check_suite: {
      id: c.suiteId,
      node_id: nodeId("CheckSuite", c.suiteId),
      head_branch: branch,
      head_sha: c.headSha,
      status: "completed",
      conclusion: c.conclusion === null || c.conclusion === "skipped" ? "neutral" : c.conclusion,
      url: `${ctx.base}/repos/${r.owner}/${r.name}/check-suites/${c.suiteId}`,
      before: null,
      after: c.headSha,
      pull_requests: prs,
      app: appShape(ctx, app),
      created_at: c.createdAt,
      updated_at: c.completedAt ?? c.createdAt,
    },
  };
}
