import type { FileChange } from "../git-objects.js";
import type { SimCommit, SimPull, SimRepo, SimReview } from "../types.js";
import { teamShape, userShape } from "./accounts.js";
import { nodeId, type ShapeContext } from "./context.js";
import { labelShape } from "./issues.js";
import { repositoryShape } from "./repository.js";

/** Which head sha a pull request shape reports: the real one, or the lagging one GET sees. */
export type HeadView = "actual" | "visible";

/** A pull request as REST `pull-request` and the webhook `pull-request` schema describe it. */
export function pullRequestShape(ctx: ShapeContext, r: SimRepo, p: SimPull, view: HeadView) {
  const { state } = ctx;
  const headSha = view === "visible" ? state.visibleHead(p) : p.headSha;
  const full = `${r.owner}/${r.name}`;
  const url = `${ctx.base}/repos/${full}/pulls/${p.number}`;
  const issueUrl = `${ctx.base}/repos/${full}/issues/${p.number}`;
  const html = `${ctx.base}/${full}/pull/${p.number}`;
  const repo = repositoryShape(ctx, r);
  const owner = userShape(ctx, state.user(r.owner));
  const files = state.pullFiles(r, p, headSha);
  const mergeable = state.mergeable(r, p);
  const teams = p.requestedTeams
    .map((slug) => state.teams.get(`${r.owner}/${slug}`.toLowerCase()))
    .filter((t) => t !== undefined);
  const comments = [...state.comments.values()].filter(
    (c) => c.repo.toLowerCase() === full.toLowerCase() && c.issueNumber === p.number,
  ).length;
  return {
    url,
    id: p.id,
    node_id: nodeId("PullRequest", p.id),
    html_url: html,
    diff_url: `${html}.diff`,
    patch_url: `${html}.patch`,
    issue_url: issueUrl,
    number: p.number,
    state: p.state,
    locked: false,
    title: p.title,
    user: userShape(ctx, state.user(p.user)),
    body: p.body,
    created_at: p.createdAt,
    updated_at: p.updatedAt,
    closed_at: p.closedAt,
    merged_at: p.mergedAt,
    merge_commit_sha: p.mergeCommitSha,
    assignee: p.assignees[0] ? userShape(ctx, state.user(p.assignees[0])) : null,
    assignees: p.assignees.map((a) => userShape(ctx, state.user(a))),
    requested_reviewers: p.requestedReviewers.map((a) => userShape(ctx, state.user(a))),
    requested_teams: teams.map((t) => teamShape(ctx, t, "webhook")),
    labels: p.labels.map((l) => labelShape(ctx, r, l)),
    milestone: null,
    draft: p.draft,
    commits_url: `${url}/commits`,
    review_comments_url: `${url}/comments`,
    review_comment_url: `${ctx.base}/repos/${full}/pulls/comments{/number}`,
    comments_url: `${issueUrl}/comments`,
    statuses_url: `${ctx.base}/repos/${full}/statuses/${headSha}`,
    head: { label: `${r.owner}:${p.headRef}`, ref: p.headRef, sha: headSha, user: owner, repo },
    base: { label: `${r.owner}:${p.baseRef}`, ref: p.baseRef, sha: state.baseSha(r, p), user: owner, repo },
    _links: {
      self: { href: url },
      html: { href: html },
      issue: { href: issueUrl },
      comments: { href: `${issueUrl}/comments` },
      review_comments: { href: `${url}/comments` },
      review_comment: { href: `${ctx.base}/repos/${full}/pulls/comments{/number}` },
      commits: { href: `${url}/commits` },
      statuses: { href: `${ctx.base}/repos/${full}/statuses/${headSha}` },
    },
    author_association: state.association(r, p.user),
    auto_merge: null,
    active_lock_reason: null,
    merged: p.merged,
    mergeable,
    rebaseable: mergeable,
    mergeable_state: mergeable === null ? "unknown" : mergeable ? "clean" : "dirty",
    merged_by: p.mergedBy ? userShape(ctx, state.user(p.mergedBy)) : null,
    comments,
    review_comments: 0,
    maintainer_can_modify: false,
    commits: state.pullCommits(r, p, headSha).length,
    additions: files.reduce((n, f) => n + f.additions, 0),
    deletions: files.reduce((n, f) => n + f.deletions, 0),
    changed_files: files.length,
  };
}

const DETAIL_ONLY = [
  "merged",
  "mergeable",
  "rebaseable",
  "mergeable_state",
  "merged_by",
  "comments",
  "review_comments",
  "maintainer_can_modify",
  "commits",
  "additions",
  "deletions",
  "changed_files",
] as const;

/** A pull request as lists and review webhooks carry it (`pull-request-simple`). */
export function simplePullRequestShape(ctx: ShapeContext, r: SimRepo, p: SimPull, view: HeadView) {
  const full: Record<string, unknown> = pullRequestShape(ctx, r, p, view);
  for (const key of DETAIL_ONLY) delete full[key];
  return full;
}

/** REST pull request: teams carry `type`, as `team-simple` requires. */
export function restPullRequestShape(ctx: ShapeContext, r: SimRepo, p: SimPull, simple: boolean) {
  const shape: Record<string, unknown> = simple
    ? simplePullRequestShape(ctx, r, p, "visible")
    : pullRequestShape(ctx, r, p, "visible");
  shape.requested_teams = p.requestedTeams
    .map((slug) => ctx.state.teams.get(`${r.owner}/${slug}`.toLowerCase()))
    .filter((t) => t !== undefined)
    .map((t) => teamShape(ctx, t, "rest"));
  return shape;
}

/** A review; REST states are upper case, webhook states lower case. */
export function reviewShape(
  ctx: ShapeContext,
  r: SimRepo,
  p: SimPull,
  rv: SimReview,
  flavour: "rest" | "webhook",
) {
  const full = `${r.owner}/${r.name}`;
  const prUrl = `${ctx.base}/repos/${full}/pulls/${p.number}`;
  const html = `${ctx.base}/${full}/pull/${p.number}#pullrequestreview-${rv.id}`;
  return {
    id: rv.id,
    node_id: nodeId("PullRequestReview", rv.id),
    user: userShape(ctx, ctx.state.user(rv.user)),
    body: rv.body,
    commit_id: rv.commitId,
    submitted_at: rv.submittedAt,
    state: flavour === "rest" ? rv.state : rv.state.toLowerCase(),
    html_url: html,
    pull_request_url: prUrl,
    author_association: ctx.state.association(r, rv.user),
    _links: { html: { href: html }, pull_request: { href: prUrl } },
  };
}

/** A changed file of a pull request (`diff-entry`). */
export function diffEntryShape(ctx: ShapeContext, r: SimRepo, headSha: string, f: FileChange) {
  const full = `${r.owner}/${r.name}`;
  const path = encodeURI(f.filename);
  return {
    sha: f.sha,
    filename: f.filename,
    status: f.status,
    additions: f.additions,
    deletions: f.deletions,
    changes: f.additions + f.deletions,
    blob_url: `${ctx.base}/${full}/blob/${headSha}/${path}`,
    raw_url: `${ctx.base}/${full}/raw/${headSha}/${path}`,
    contents_url: `${ctx.base}/repos/${full}/contents/${path}?ref=${headSha}`,
    ...(f.previousFilename !== undefined ? { previous_filename: f.previousFilename } : {}),
  };
}

/** The git-level part of a commit (`commit.commit` in REST, the body of git/commits). */
export function gitCommitShape(ctx: ShapeContext, r: SimRepo, c: SimCommit) {
  const full = `${r.owner}/${r.name}`;
  return {
    url: `${ctx.base}/repos/${full}/git/commits/${c.sha}`,
    author: { name: c.authorName, email: c.authorEmail, date: c.date },
    committer: { name: c.committerName, email: c.committerEmail, date: c.date },
    message: c.message,
    tree: { sha: c.treeSha, url: `${ctx.base}/repos/${full}/git/trees/${c.treeSha}` },
    comment_count: 0,
    verification: { verified: false, reason: "unsigned", payload: null, signature: null, verified_at: null },
  };
}

/** A commit as REST `commit` describes it (pulls/{n}/commits, commits/{ref}). */
export function commitShape(ctx: ShapeContext, r: SimRepo, c: SimCommit) {
  const full = `${r.owner}/${r.name}`;
  return {
    url: `${ctx.base}/repos/${full}/commits/${c.sha}`,
    sha: c.sha,
    node_id: nodeId("Commit", c.sha),
    html_url: `${ctx.base}/${full}/commit/${c.sha}`,
    comments_url: `${ctx.base}/repos/${full}/commits/${c.sha}/comments`,
    commit: gitCommitShape(ctx, r, c),
    author: c.author === null ? null : userShape(ctx, ctx.state.user(c.author)),
    committer: c.committer === null ? null : userShape(ctx, ctx.state.user(c.committer)),
    parents: c.parents.map((sha) => ({
      sha,
      url: `${ctx.base}/repos/${full}/commits/${sha}`,
      html_url: `${ctx.base}/${full}/commit/${sha}`,
    })),
  };
}
