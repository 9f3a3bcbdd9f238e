import { SimRequestError } from "../errors.js";
import type { CheckRunInput } from "../operations.js";
import { paginate } from "../pagination.js";
import { bodyString, intParam, route, type Route } from "../router.js";
import { checkRunShape } from "../shapes/checks.js";
import { statusShape } from "../shapes/issues.js";
import type { CheckConclusion, CheckStatus, SimStatus } from "../types.js";
import { fullNameOf, repoParam, type RouteDeps } from "./deps.js";

const STATUSES: readonly CheckStatus[] = [
  "queued",
  "in_progress",
  "completed",
  "waiting",
  "requested",
  "pending",
];
const CONCLUSIONS: readonly CheckConclusion[] = [
  "success",
  "failure",
  "neutral",
  "cancelled",
  "skipped",
  "timed_out",
  "action_required",
  "stale",
];

function checkRunInput(body: Record<string, unknown>): CheckRunInput {
  const status = bodyString(body, "status");
  const conclusion = bodyString(body, "conclusion");
  if (status !== undefined && !STATUSES.includes(status as CheckStatus))
    throw new SimRequestError(
      422,
      `Invalid request.\n\n"status" must be one of ${STATUSES.join(", ")}; got "${status}".`,
    );
  if (conclusion !== undefined && !CONCLUSIONS.includes(conclusion as CheckConclusion))
    throw new SimRequestError(
      422,
      `Invalid request.\n\n"conclusion" must be one of ${CONCLUSIONS.join(", ")}; got "${conclusion}".`,
    );
  if (conclusion === "action_required" && bodyString(body, "details_url") === undefined)
    throw new SimRequestError(
      422,
      'Invalid request.\n\n"details_url" is required when "conclusion" is "action_required".',
    );
  const out = body.output;
  const output =
    typeof out === "object" && out !== null
      ? {
          title: bodyString(out as Record<string, unknown>, "title"),
          summary: bodyString(out as Record<string, unknown>, "summary"),
          text: bodyString(out as Record<string, unknown>, "text"),
        }
      : undefined;
  return {
    name: bodyString(body, "name"),
    head_sha: bodyString(body, "head_sha"),
    status: status as CheckStatus | undefined,
    conclusion: conclusion as CheckConclusion | undefined,
    details_url: bodyString(body, "details_url"),
    external_id: bodyString(body, "external_id"),
    started_at: bodyString(body, "started_at"),
    completed_at: bodyString(body, "completed_at"),
    output,
  };
}

/** Check runs and commit statuses. */
export function checkRoutes(deps: RouteDeps): Route[] {
  const { state, ops } = deps;
  return [
    route("POST", "/repos/{owner}/{repo}/check-runs", (req) => {
      const r = repoParam(deps, req);
      const run = ops.createCheckRun(fullNameOf(r), checkRunInput(req.body));
      return { status: 201, body: checkRunShape(deps.ctx(), r, deps.app, run) };
    }),
    route("PATCH", "/repos/{owner}/{repo}/check-runs/{check_run_id}", (req) => {
      const r = repoParam(deps, req);
      const run = ops.updateCheckRun(
        fullNameOf(r),
        intParam(req, "check_run_id") ?? 0,
        checkRunInput(req.body),
      );
      return { status: 200, body: checkRunShape(deps.ctx(), r, deps.app, run) };
    }),
    route("GET", "/repos/{owner}/{repo}/check-runs/{check_run_id}", (req) => {
      const r = repoParam(deps, req);
      const run = state.checkRuns.get(intParam(req, "check_run_id") ?? 0);
      if (!run || run.repo.toLowerCase() !== fullNameOf(r).toLowerCase())
        throw new SimRequestError(404, "Not Found");
      return { status: 200, body: checkRunShape(deps.ctx(), r, deps.app, run) };
    }),
    route("GET", "/repos/{owner}/{repo}/commits/{ref}/check-runs", (req) => {
      const r = repoParam(deps, req);
      const sha = state.resolveRef(r, req.params.ref);
      if (!sha) throw new SimRequestError(422, `No commit found for SHA: ${req.params.ref}`);
      const name = req.query.get("check_name");
      const status = req.query.get("status");
      let runs = [...state.checkRuns.values()]
        .filter((c) => c.repo.toLowerCase() === fullNameOf(r).toLowerCase() && c.headSha === sha)
        .filter((c) => name === null || c.name === name)
        .filter((c) => status === null || c.status === status)
        .sort((a, b) => b.id - a.id);
      // filter=latest (the default) keeps the newest run of each name.
      if ((req.query.get("filter") ?? "latest") === "latest")
        runs = runs.filter((c, i) => runs.findIndex((x) => x.name === c.name) === i);
      const page = paginate(req, runs);
      return {
        status: 200,
        body: {
          total_count: runs.length,
          check_runs: page.items.map((c) => checkRunShape(deps.ctx(), r, deps.app, c)),
        },
        ...(page.link ? { headers: { link: page.link } } : {}),
      };
    }),
    route("POST", "/repos/{owner}/{repo}/statuses/{sha}", (req) => {
      const r = repoParam(deps, req);
      const s = bodyString(req.body, "state");
      if (s !== "error" && s !== "failure" && s !== "pending" && s !== "success")
        throw new SimRequestError(422, "Validation Failed", [
          {
            resource: "Status",
            field: "state",
            code: "custom",
            message: "state must be error, failure, pending or success",
          },
        ]);
      const status = ops.createStatus(
        fullNameOf(r),
        req.params.sha ?? "",
        {
          state: s as SimStatus["state"],
          context: bodyString(req.body, "context"),
          description: bodyString(req.body, "description"),
          target_url: bodyString(req.body, "target_url"),
        },
        req.actor,
      );
      return { status: 201, body: statusShape(deps.ctx(), r, status) };
    }),
  ];
}
