import { SimRequestError } from "../errors.js";
import { listReply } from "../pagination.js";
import { route, type Route } from "../router.js";
import { commitDetailShape } from "../shapes/commits.js";
import { commitShape, restPullRequestShape } from "../shapes/pull-request.js";
import type { SimCommit } from "../types.js";
import { repoParam, type RouteDeps } from "./deps.js";

/** GitHub lists at most this many files of one commit. */
const MAX_COMMIT_FILES = 300;

/** Commit history: list (by branch or sha, path, author, time), one commit, and its pull requests. */
export function commitRoutes(deps: RouteDeps): Route[] {
  const { state } = deps;
  return [
    route("GET", "/repos/{owner}/{repo}/commits", (req) => {
      const r = repoParam(deps, req);
      const ref = req.query.get("sha") ?? r.defaultBranch;
      const head = state.resolveRef(r, ref);
      if (!head) throw new SimRequestError(404, `No commit found for SHA: ${ref}`);
      const author = req.query.get("author")?.toLowerCase();
      const committer = req.query.get("committer")?.toLowerCase();
      const since = req.query.get("since");
      const until = req.query.get("until");
      const by = (login: string | null, email: string, who: string): boolean =>
        login?.toLowerCase() === who || email.toLowerCase() === who;
      const commits = state
        .firstParentLog(head, req.query.get("path") ?? undefined)
        .filter((c: SimCommit) => author === undefined || by(c.author, c.authorEmail, author))
        .filter((c) => committer === undefined || by(c.committer, c.committerEmail, committer))
        .filter((c) => since === null || Date.parse(c.date) >= Date.parse(since))
        .filter((c) => until === null || Date.parse(c.date) <= Date.parse(until));
      return listReply(
        req,
        commits.map((c) => commitShape(deps.ctx(), r, c)),
      );
    }),
    route("GET", "/repos/{owner}/{repo}/commits/{ref}", (req) => {
      const r = repoParam(deps, req);
      const sha = state.resolveRef(r, req.params.ref);
      if (!sha) throw new SimRequestError(422, `No commit found for SHA: ${req.params.ref}`);
      const detail = commitDetailShape(deps.ctx(), r, state.commit(sha));
      return { status: 200, body: { ...detail, files: detail.files.slice(0, MAX_COMMIT_FILES) } };
    }),
    route("GET", "/repos/{owner}/{repo}/commits/{commit_sha}/pulls", (req) => {
      const r = repoParam(deps, req);
      const sha = state.resolveRef(r, req.params.commit_sha);
      if (!sha) throw new SimRequestError(422, `No commit found for SHA: ${req.params.commit_sha}`);
      return listReply(
        req,
        state.pullsForCommit(r, sha).map((p) => restPullRequestShape(deps.ctx(), r, p, true)),
      );
    }),
  ];
}
