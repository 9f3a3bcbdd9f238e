import type { SimComment, SimIssue, SimLabel, SimPull, SimRepo, SimStatus } from "../types.js";
import { userShape } from "./accounts.js";
import { nodeId, type ShapeContext } from "./context.js";

/** A label (`label` in REST and webhooks). */
export function labelShape(ctx: ShapeContext, r: SimRepo, l: SimLabel) {
  return {
    id: l.id,
    node_id: nodeId("Label", l.id),
    url: `${ctx.base}/repos/${r.owner}/${r.name}/labels/${encodeURIComponent(l.name)}`,
    name: l.name,
    description: null,
    color: l.color,
    default: false,
  };
}

/** An issue (`issue`). */
export function issueShape(ctx: ShapeContext, r: SimRepo, i: SimIssue) {
  const full = `${r.owner}/${r.name}`;
  const url = `${ctx.base}/repos/${full}/issues/${i.number}`;
  const comments = [...ctx.state.comments.values()].filter(
    (c) => c.repo.toLowerCase() === full.toLowerCase() && c.issueNumber === i.number,
  ).length;
  return {
    id: i.id,
    node_id: nodeId("Issue", i.id),
    url,
    repository_url: `${ctx.base}/repos/${full}`,
    labels_url: `${url}/labels{/name}`,
    comments_url: `${url}/comments`,
    events_url: `${url}/events`,
    html_url: `${ctx.base}/${full}/issues/${i.number}`,
    number: i.number,
    state: i.state,
    state_reason: i.stateReason,
    title: i.title,
    body: i.body,
    user: userShape(ctx, ctx.state.user(i.user)),
    labels: i.labels.map((l) => labelShape(ctx, r, l)),
    assignee: i.assignees[0] ? userShape(ctx, ctx.state.user(i.assignees[0])) : null,
    assignees: i.assignees.map((a) => userShape(ctx, ctx.state.user(a))),
    milestone: null,
    locked: false,
    active_lock_reason: null,
    comments,
    closed_at: i.closedAt,
    created_at: i.createdAt,
    updated_at: i.updatedAt,
    author_association: ctx.state.association(r, i.user),
    timeline_url: `${url}/timeline`,
    performed_via_github_app: null,
    reactions: {
      url: `${url}/reactions`,
      total_count: 0,
      "+1": 0,
      "-1": 0,
      laugh: 0,
      hooray: 0,
      confused: 0,
      heart: 0,
      rocket: 0,
      eyes: 0,
    },
  };
}

/** A pull request as the issues API lists it: an issue with a `pull_request` field. */
export function pullIssueShape(ctx: ShapeContext, r: SimRepo, p: SimPull) {
  const issue: SimIssue = {
    id: p.id,
    number: p.number,
    repo: p.repo,
    user: p.user,
    title: p.title,
    body: p.body,
    state: p.state,
    stateReason: p.state === "closed" ? "completed" : null,
    labels: p.labels,
    assignees: p.assignees,
    createdAt: p.createdAt,
    updatedAt: p.updatedAt,
    closedAt: p.closedAt,
  };
  const html = `${ctx.base}/${r.owner}/${r.name}/pull/${p.number}`;
  return {
    ...issueShape(ctx, r, issue),
    html_url: html,
    draft: p.draft,
    pull_request: {
      url: `${ctx.base}/repos/${r.owner}/${r.name}/pulls/${p.number}`,
      html_url: html,
      diff_url: `${html}.diff`,
      patch_url: `${html}.patch`,
      merged_at: p.mergedAt,
    },
  };
}

/** An issue or pull request conversation comment (`issue-comment`). */
export function commentShape(ctx: ShapeContext, r: SimRepo, c: SimComment) {
  const full = `${r.owner}/${r.name}`;
  const isPull = ctx.state.pullsOf(r).has(c.issueNumber);
  return {
    id: c.id,
    node_id: nodeId("IssueComment", c.id),
    url: `${ctx.base}/repos/${full}/issues/comments/${c.id}`,
    html_url: `${ctx.base}/${full}/${isPull ? "pull" : "issues"}/${c.issueNumber}#issuecomment-${c.id}`,
    body: c.body,
    user: userShape(ctx, ctx.state.user(c.user)),
    created_at: c.createdAt,
    updated_at: c.updatedAt,
    issue_url: `${ctx.base}/repos/${full}/issues/${c.issueNumber}`,
    author_association: ctx.state.association(r, c.user),
  };
}

/** A commit status (`status`). */
export function statusShape(ctx: ShapeContext, r: SimRepo, s: SimStatus) {
  const creator = ctx.state.user(s.creator);
  return {
    url: `${ctx.base}/repos/${r.owner}/${r.name}/statuses/${s.sha}`,
    avatar_url: `${ctx.base}/avatars/u/${creator.id}`,
    id: s.id,
    node_id: nodeId("StatusContext", s.id),
    state: s.state,
    description: s.description,
    target_url: s.targetUrl,
    context: s.context,
    created_at: s.createdAt,
    updated_at: s.createdAt,
    creator: userShape(ctx, creator),
  };
}
