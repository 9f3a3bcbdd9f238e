import { SimRequestError } from "../errors.js";
import { listReply } from "../pagination.js";
import { bodyString, bodyStrings, intParam, route, type Route } from "../router.js";
import { commentShape, issueShape } from "../shapes/issues.js";
import { fullNameOf, repoParam, type RouteDeps } from "./deps.js";

/** Issues and conversation comments (pull requests share the issue number space). */
export function issueRoutes(deps: RouteDeps): Route[] {
  const { state, ops } = deps;
  return [
    route("GET", "/repos/{owner}/{repo}/issues/{issue_number}/comments", (req) => {
      const r = repoParam(deps, req);
      const n = intParam(req, "issue_number") ?? 0;
      if (!state.pullsOf(r).has(n) && !state.issuesOf(r).has(n)) throw new SimRequestError(404, "Not Found");
      const comments = [...state.comments.values()]
        .filter((c) => c.repo.toLowerCase() === fullNameOf(r).toLowerCase() && c.issueNumber === n)
        .sort((a, b) => a.id - b.id);
      return listReply(
        req,
        comments.map((c) => commentShape(deps.ctx(), r, c)),
      );
    }),
    route("POST", "/repos/{owner}/{repo}/issues/{issue_number}/comments", (req) => {
      const r = repoParam(deps, req);
      const c = ops.createComment(
        fullNameOf(r),
        intParam(req, "issue_number") ?? 0,
        bodyString(req.body, "body") ?? "",
        req.actor,
      );
      return { status: 201, body: commentShape(deps.ctx(), r, c) };
    }),
    route("PATCH", "/repos/{owner}/{repo}/issues/comments/{comment_id}", (req) => {
      const r = repoParam(deps, req);
      const body = bodyString(req.body, "body");
      if (!body)
        throw new SimRequestError(422, "Validation Failed", [
          { resource: "IssueComment", field: "body", code: "missing_field" },
        ]);
      const c = ops.updateComment(fullNameOf(r), intParam(req, "comment_id") ?? 0, body);
      return { status: 200, body: commentShape(deps.ctx(), r, c) };
    }),
    route("GET", "/repos/{owner}/{repo}/issues/comments/{comment_id}", (req) => {
      const r = repoParam(deps, req);
      const c = state.comments.get(intParam(req, "comment_id") ?? 0);
      if (!c || c.repo.toLowerCase() !== fullNameOf(r).toLowerCase())
        throw new SimRequestError(404, "Not Found");
      return { status: 200, body: commentShape(deps.ctx(), r, c) };
    }),
    route("POST", "/repos/{owner}/{repo}/issues", (req) => {
      const r = repoParam(deps, req);
      const issue = ops.createIssue(
        fullNameOf(r),
        {
          title: bodyString(req.body, "title") ?? "",
          body: bodyString(req.body, "body") ?? null,
          labels: bodyStrings(req.body, "labels"),
          assignees: bodyStrings(req.body, "assignees"),
        },
        req.actor,
      );
      return { status: 201, body: issueShape(deps.ctx(), r, issue) };
    }),
    route("GET", "/repos/{owner}/{repo}/issues/{issue_number}", (req) => {
      const r = repoParam(deps, req);
      const issue = state.issuesOf(r).get(intParam(req, "issue_number") ?? 0);
      if (!issue) throw new SimRequestError(404, "Not Found");
      return { status: 200, body: issueShape(deps.ctx(), r, issue) };
    }),
  ];
}
