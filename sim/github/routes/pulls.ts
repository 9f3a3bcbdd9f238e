import { SimRequestError } from "../errors.js";
import { listReply } from "../pagination.js";
import { bodyString, bodyStrings, route, type Route } from "../router.js";
import { commitShape, diffEntryShape, restPullRequestShape, reviewShape } from "../shapes/pull-request.js";
import { fullNameOf, pullParam, repoParam, type RouteDeps } from "./deps.js";

/** GitHub lists at most this many files and commits of a pull request. */
const MAX_FILES = 3000;
const MAX_COMMITS = 250;

/** Pull request routes: list, get, files, reviews, commits, merge, reviewers, create. */
export function pullRoutes(deps: RouteDeps): Route[] {
  const { state, ops } = deps;
  return [
    route("GET", "/repos/{owner}/{repo}/pulls", (req) => {
      const r = repoParam(deps, req);
      const want = req.query.get("state") ?? "open";
      const head = req.query.get("head");
      const base = req.query.get("base");
      const pulls = [...state.pullsOf(r).values()]
        .filter((p) => want === "all" || p.state === want)
        .filter((p) => !head || `${r.owner}:${p.headRef}` === head || p.headRef === head)
        .filter((p) => !base || p.baseRef === base)
        .sort((a, b) => b.number - a.number);
      return listReply(
        req,
        pulls.map((p) => restPullRequestShape(deps.ctx(), r, p, true)),
      );
    }),
    route("GET", "/repos/{owner}/{repo}/pulls/{pull_number}", (req) => {
      const { r, p } = pullParam(deps, req);
      return { status: 200, body: restPullRequestShape(deps.ctx(), r, p, false) };
    }),
    route("GET", "/repos/{owner}/{repo}/pulls/{pull_number}/files", (req) => {
      const { r, p } = pullParam(deps, req);
      const head = state.visibleHead(p);
      const files = state.pullFiles(r, p, head).slice(0, MAX_FILES);
      return listReply(
        req,
        files.map((f) => diffEntryShape(deps.ctx(), r, head, f)),
      );
    }),
    route("GET", "/repos/{owner}/{repo}/pulls/{pull_number}/reviews", (req) => {
      const { r, p } = pullParam(deps, req);
      return listReply(
        req,
        p.reviews.map((rv) => reviewShape(deps.ctx(), r, p, rv, "rest")),
      );
    }),
    route("GET", "/repos/{owner}/{repo}/pulls/{pull_number}/commits", (req) => {
      const { r, p } = pullParam(deps, req);
      const commits = state.pullCommits(r, p, state.visibleHead(p)).slice(0, MAX_COMMITS);
      return listReply(
        req,
        commits.map((c) => commitShape(deps.ctx(), r, c)),
      );
    }),
    route("PUT", "/repos/{owner}/{repo}/pulls/{pull_number}/merge", (req) => {
      const { r, p } = pullParam(deps, req);
      const method = bodyString(req.body, "merge_method") ?? "merge";
      if (method !== "merge" && method !== "squash" && method !== "rebase")
        throw new SimRequestError(422, `Invalid merge_method "${method}"; expected merge, squash or rebase`);
      const outcome = ops.mergePullRequest(fullNameOf(r), p.number, {
        by: req.actor,
        sha: bodyString(req.body, "sha"),
        method,
        title: bodyString(req.body, "commit_title"),
        message: bodyString(req.body, "commit_message"),
      });
      if (outcome.type === "head-moved")
        throw new SimRequestError(409, "Head branch was modified. Review and try the merge again.");
      if (outcome.type === "not-mergeable") throw new SimRequestError(405, outcome.reason);
      return {
        status: 200,
        body: { sha: outcome.sha, merged: true, message: "Pull Request successfully merged" },
      };
    }),
    route("POST", "/repos/{owner}/{repo}/pulls/{pull_number}/requested_reviewers", (req) => {
      const { r, p } = pullParam(deps, req);
      ops.requestReviewers(
        fullNameOf(r),
        p.number,
        {
          reviewers: bodyStrings(req.body, "reviewers"),
          team_reviewers: bodyStrings(req.body, "team_reviewers"),
        },
        req.actor,
      );
      return { status: 201, body: restPullRequestShape(deps.ctx(), r, p, true) };
    }),
    route("POST", "/repos/{owner}/{repo}/pulls", (req) => {
      const r = repoParam(deps, req);
      const head = bodyString(req.body, "head");
      const title = bodyString(req.body, "title");
      if (!head || !title)
        throw new SimRequestError(422, "Validation Failed", [
          { resource: "PullRequest", field: head ? "title" : "head", code: "missing_field" },
        ]);
      const p = ops.openPullRequest(fullNameOf(r), {
        head: head.replace(new RegExp(`^${r.owner}:`, "i"), ""),
        base: bodyString(req.body, "base"),
        author: req.actor,
        title,
        body: bodyString(req.body, "body") ?? null,
        draft: req.body.draft === true,
      });
      return { status: 201, body: restPullRequestShape(deps.ctx(), r, p, false) };
    }),
  ];
}
