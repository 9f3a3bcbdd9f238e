import { SimRequestError } from "../errors.js";
import { listReply } from "../pagination.js";
import { bodyString, bodyStrings, intParam, route, type Route } from "../router.js";
import { commentShape, issueShape, pullIssueShape } from "../shapes/issues.js";
import type { SimIssue } from "../types.js";
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
    route("GET", "/repos/{owner}/{repo}/issues", (req) => {
      const r = repoParam(deps, req);
      const want = req.query.get("state") ?? "open";
      const labels = (req.query.get("labels") ?? "")
        .split(",")
        .map((l) => l.trim().toLowerCase())
        .filter((l) => l !== "");
      const assignee = req.query.get("assignee")?.toLowerCase();
      const creator = req.query.get("creator")?.toLowerCase();
      const matches = (i: Pick<SimIssue, "state" | "labels" | "assignees" | "user">): boolean =>
        (want === "all" || i.state === want) &&
        labels.every((l) => i.labels.some((x) => x.name.toLowerCase() === l)) &&
        (assignee === undefined ||
          (assignee === "none"
            ? i.assignees.length === 0
            : assignee === "*"
              ? i.assignees.length > 0
              : i.assignees.some((a) => a.toLowerCase() === assignee))) &&
        (creator === undefined || i.user.toLowerCase() === creator);
      // Like GitHub, pull requests are listed too (they carry `pull_request`); newest first by default.
      const items = [
        ...[...state.issuesOf(r).values()]
          .filter(matches)
          .map((i) => ({ n: i.number, body: issueShape(deps.ctx(), r, i) as object })),
        ...[...state.pullsOf(r).values()]
          .filter(matches)
          .map((p) => ({ n: p.number, body: pullIssueShape(deps.ctx(), r, p) as object })),
      ].sort((a, b) => b.n - a.n);
      if (req.query.get("direction") === "asc") items.reverse();
      return listReply(
        req,
        items.map((x) => x.body),
      );
    }),
    route("GET", "/repos/{owner}/{repo}/issues/{issue_number}", (req) => {
      const r = repoParam(deps, req);
      const n = intParam(req, "issue_number") ?? 0;
      const pull = state.pullsOf(r).get(n);
      if (pull) return { status: 200, body: pullIssueShape(deps.ctx(), r, pull) };
      const issue = state.issuesOf(r).get(n);
      if (!issue) throw new SimRequestError(404, "Not Found");
      return { status: 200, body: issueShape(deps.ctx(), r, issue) };
    }),
    route("PATCH", "/repos/{owner}/{repo}/issues/{issue_number}", (req) => {
      const r = repoParam(deps, req);
      const n = intParam(req, "issue_number") ?? 0;
      const stateWanted = bodyString(req.body, "state");
      if (stateWanted !== undefined && stateWanted !== "open" && stateWanted !== "closed")
        throw new SimRequestError(422, "Validation Failed", [
          { resource: "Issue", field: "state", code: "invalid", value: stateWanted },
        ]);
      const reason = bodyString(req.body, "state_reason");
      if (reason !== undefined && !["completed", "not_planned", "reopened"].includes(reason))
        throw new SimRequestError(422, "Validation Failed", [
          { resource: "Issue", field: "state_reason", code: "invalid", value: reason },
        ]);
      const pull = state.pullsOf(r).get(n);
      if (pull) {
        // Pull requests can be closed, reopened and retitled through the issues API too.
        const full = fullNameOf(r);
        if (bodyString(req.body, "title") !== undefined || "body" in req.body)
          ops.editPullRequest(
            full,
            n,
            {
              title: bodyString(req.body, "title"),
              body: "body" in req.body ? (bodyString(req.body, "body") ?? null) : undefined,
            },
            req.actor,
          );
        if (stateWanted === "closed") ops.closePullRequest(full, n, req.actor);
        if (stateWanted === "open") ops.reopenPullRequest(full, n, req.actor);
        return { status: 200, body: pullIssueShape(deps.ctx(), r, pull) };
      }
      const issue = ops.updateIssue(
        fullNameOf(r),
        n,
        {
          title: bodyString(req.body, "title"),
          body: "body" in req.body ? (bodyString(req.body, "body") ?? null) : undefined,
          state: stateWanted as "open" | "closed" | undefined,
          state_reason: reason as "completed" | "not_planned" | "reopened" | undefined,
          labels: bodyStrings(req.body, "labels"),
          assignees: bodyStrings(req.body, "assignees"),
        },
        req.actor,
      );
      return { status: 200, body: issueShape(deps.ctx(), r, issue) };
    }),
  ];
}
