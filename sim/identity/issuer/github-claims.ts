import { randomBytes } from "node:crypto";

/** GitHub Actions OIDC claims a test may set; every value is a string as GitHub sends it. `undefined` leaves a claim out. */
export interface GitHubJobClaims {
  sub?: string;
  repository?: string;
  repository_id?: string;
  repository_owner?: string;
  repository_owner_id?: string;
  repository_visibility?: "public" | "private" | "internal";
  ref?: string;
  ref_type?: "branch" | "tag";
  sha?: string;
  environment?: string;
  event_name?: string;
  workflow?: string;
  workflow_ref?: string;
  workflow_sha?: string;
  job_workflow_ref?: string;
  job_workflow_sha?: string;
  actor?: string;
  actor_id?: string;
  run_id?: string;
  run_number?: string;
  run_attempt?: string;
  runner_environment?: "github-hosted" | "self-hosted";
  head_ref?: string;
  base_ref?: string;
  enterprise?: string;
  enterprise_id?: string;
  /** Any other claim (`check_run_id`, `repo_property_*`, ...). */
  [claim: string]: string | undefined;
}

/** How `sub` is formed when not given: `repo:OWNER/REPO:...`, or the immutable `repo:OWNER@OWNER_ID/REPO@REPO_ID:...`. */
export type SubjectForm = "classic" | "immutable";

const PR_EVENTS = new Set(["pull_request", "pull_request_target"]);

// GitHub escapes a ':' inside a value of the subject as %3A.
const esc = (v: string): string => v.replace(/:/g, "%3A");

/** The default subject GitHub builds for these claims. */
export function githubSubject(c: GitHubJobClaims, form: SubjectForm): string {
  const [owner = "", repo = ""] = (c.repository ?? "").split("/");
  const repoPart =
    form === "immutable"
      ? `${owner}@${c.repository_owner_id ?? ""}/${repo}@${c.repository_id ?? ""}`
      : `${owner}/${repo}`;
  const context = c.environment
    ? `environment:${esc(c.environment)}`
    : PR_EVENTS.has(c.event_name ?? "")
      ? "pull_request"
      : `ref:${esc(c.ref ?? "")}`;
  return `repo:${repoPart}:${context}`;
}

/** Fills GitHub's claim set from a few given claims, the way a job on `push` to `main` would carry them by default. */
export function githubClaims(given: GitHubJobClaims, form: SubjectForm = "classic"): Record<string, string> {
  const repository = given.repository ?? "octo-org/octo-repo";
  const owner = given.repository_owner ?? repository.split("/")[0] ?? "octo-org";
  const event = given.event_name ?? "push";
  const pr = PR_EVENTS.has(event);
  const ref = given.ref ?? (pr ? "refs/pull/1/merge" : "refs/heads/main");
  const sha = given.sha ?? randomBytes(20).toString("hex");
  const workflowFile = ".github/workflows/deploy.yml";
  const base: GitHubJobClaims = {
    repository,
    repository_id: "100000001",
    repository_owner: owner,
    repository_owner_id: "200000001",
    repository_visibility: "private",
    ref,
    ref_type: ref.startsWith("refs/tags/") ? "tag" : "branch",
    sha,
    event_name: event,
    workflow: "deploy",
    workflow_ref: `${repository}/${workflowFile}@${ref}`,
    workflow_sha: sha,
    job_workflow_ref: `${repository}/${workflowFile}@${ref}`,
    job_workflow_sha: sha,
    actor: "octocat",
    actor_id: "583231",
    run_id: "9000000001",
    run_number: "1",
    run_attempt: "1",
    runner_environment: "github-hosted",
    ...(pr ? { head_ref: "feature", base_ref: "main" } : {}),
  };
  const merged: GitHubJobClaims = { ...base };
  for (const [k, v] of Object.entries(given)) merged[k] = v;
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(merged)) if (v !== undefined && k !== "sub") out[k] = v;
  return { sub: "sub" in given && given.sub !== undefined ? given.sub : githubSubject(out, form), ...out };
}
