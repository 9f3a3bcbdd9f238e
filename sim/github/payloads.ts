import type { ShapeContext } from "./shapes/context.js";
import { organizationShape, teamShape, userShape } from "./shapes/accounts.js";
import { installationLiteShape } from "./shapes/apps.js";
import { webhookCheckRunShape } from "./shapes/checks.js";
import { issueShape } from "./shapes/issues.js";
import { pullRequestShape, reviewShape, simplePullRequestShape } from "./shapes/pull-request.js";
import { repositoryShape } from "./shapes/repository.js";
import { diffFiles } from "./git-objects.js";
import type { SimApp, SimCheckRun, SimIssue, SimPull, SimRepo, SimReview, SimTeam } from "./types.js";

/** Sha git uses for "no commit" in push events. */
export const ZERO_SHA = "0000000000000000000000000000000000000000";

function envelope(ctx: ShapeContext, app: SimApp, r: SimRepo, sender: string) {
  const owner = ctx.state.user(r.owner);
  return {
    repository: repositoryShape(ctx, r),
    ...(owner.type === "Organization" ? { organization: organizationShape(ctx, owner) } : {}),
    sender: userShape(ctx, ctx.state.user(sender)),
    installation: installationLiteShape(ctx.state.installationFor(r.owner, app.installationId)),
  };
}

/** Extra fields some pull_request actions carry. */
export type PullRequestExtra =
  | { before: string; after: string }
  | { changes: Record<string, unknown> }
  | { requested_reviewer: ReturnType<typeof userShape> }
  | { requested_team: ReturnType<typeof teamShape> }
  | Record<string, never>;

/** A `pull_request` event (opened, synchronize, reopened, edited, ready_for_review, closed, review_requested). */
export function pullRequestPayload(
  ctx: ShapeContext,
  app: SimApp,
  r: SimRepo,
  p: SimPull,
  action: string,
  sender: string,
  extra: PullRequestExtra = {},
) {
  return {
    action,
    number: p.number,
    ...extra,
    pull_request: pullRequestShape(ctx, r, p, "actual"),
    ...envelope(ctx, app, r, sender),
  };
}

/** The `requested_reviewer` / `requested_team` field of a review_requested event. */
export function reviewRequestExtra(
  ctx: ShapeContext,
  who: { user?: string; team?: SimTeam },
): PullRequestExtra {
  if (who.team) return { requested_team: teamShape(ctx, who.team, "webhook") };
  return { requested_reviewer: userShape(ctx, ctx.state.user(who.user ?? "")) };
}

/** A `pull_request_review` event (submitted, edited, dismissed); the review state is lower case. */
export function pullRequestReviewPayload(
  ctx: ShapeContext,
  app: SimApp,
  r: SimRepo,
  p: SimPull,
  review: SimReview,
  action: "submitted" | "edited" | "dismissed",
  sender: string,
  changes?: Record<string, unknown>,
) {
  return {
    action,
    review: reviewShape(ctx, r, p, review, "webhook"),
    pull_request: simplePullRequestShape(ctx, r, p, "actual"),
    ...(changes ? { changes } : {}),
    ...envelope(ctx, app, r, sender),
  };
}

/** An `issues` event (opened, closed, reopened). */
export function issuesPayload(
  ctx: ShapeContext,
  app: SimApp,
  r: SimRepo,
  issue: SimIssue,
  action: "opened" | "closed" | "reopened",
  sender: string,
) {
  return { action, issue: issueShape(ctx, r, issue), ...envelope(ctx, app, r, sender) };
}

/** A `check_run` event (rerequested). */
export function checkRunPayload(
  ctx: ShapeContext,
  app: SimApp,
  r: SimRepo,
  run: SimCheckRun,
  action: string,
  sender: string,
) {
  return { action, check_run: webhookCheckRunShape(ctx, r, app, run), ...envelope(ctx, app, r, sender) };
}

/** A `push` event for a branch update: `commits` are the new commits, oldest first. */
export function pushPayload(
  ctx: ShapeContext,
  app: SimApp,
  r: SimRepo,
  push: {
    branch: string;
    before: string;
    after: string;
    commits: string[];
    pusher: string;
    forced?: boolean;
  },
) {
  const full = `${r.owner}/${r.name}`;
  const commitEntry = (sha: string) => {
    const c = ctx.state.commit(sha);
    const parent = c.parents[0] ? ctx.state.commit(c.parents[0]).files : new Map<string, string>();
    const changes = diffFiles(parent, c.files, (s) => ctx.state.blob(s));
    const person = (login: string | null, name: string, email: string) =>
      login === null ? { name, email } : { name, email, username: login };
    return {
      id: c.sha,
      tree_id: c.treeSha,
      distinct: true,
      message: c.message,
      timestamp: c.date,
      url: `${ctx.base}/${full}/commit/${c.sha}`,
      author: person(c.author, c.authorName, c.authorEmail),
      committer: person(c.committer, c.committerName, c.committerEmail),
      added: changes.filter((f) => f.status === "added" || f.status === "renamed").map((f) => f.filename),
      removed: [
        ...changes.filter((f) => f.status === "removed").map((f) => f.filename),
        ...changes.flatMap((f) => (f.status === "renamed" && f.previousFilename ? [f.previousFilename] : [])),
      ],
      modified: changes.filter((f) => f.status === "modified").map((f) => f.filename),
    };
  };
  const pusher = ctx.state.user(push.pusher);
  const deleted = push.after === ZERO_SHA;
  return {
    ref: `refs/heads/${push.branch}`,
    before: push.before,
    after: push.after,
    created: push.before === ZERO_SHA,
    deleted,
    forced: push.forced ?? false,
    base_ref: null,
    compare: `${ctx.base}/${full}/compare/${push.before.slice(0, 12)}...${push.after.slice(0, 12)}`,
    commits: push.commits.map(commitEntry),
    head_commit: deleted ? null : commitEntry(push.after),
    pusher: { name: pusher.login, email: ctx.state.emailOf(pusher) },
    ...envelope(ctx, app, r, push.pusher),
  };
}
