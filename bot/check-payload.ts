/** Pull request actions the bot decides on. */
export const PR_ACTIONS = ["opened", "synchronize", "reopened", "ready_for_review", "edited"] as const;
/** Review actions the bot decides on. */
export const REVIEW_ACTIONS = ["submitted", "dismissed", "edited"] as const;
/** Check actions that ask for a new decision. */
export const RECHECK_ACTIONS = ["rerequested"] as const;

/** What the front door learns from a signed delivery before queueing it. */
export type PayloadCheck =
  | { ok: true; handled: false }
  | {
      ok: true;
      handled: true;
      /** Work with the same key runs one at a time, in order: one pull request, or one repository's pushes. */
      key: string;
      repository: string;
      pr?: number;
      headSha?: string;
    }
  | { ok: false; reason: string };

type Json = Record<string, unknown>;

/** The work-queue key of a pull request's deliveries (repository names are case-insensitive). */
export function pullKey(owner: string, repo: string, number: number): string {
  return `${owner}/${repo}`.toLowerCase() + `#${number}`;
}

const isObject = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);
const isSha = (v: unknown): v is string => typeof v === "string" && /^[0-9a-f]{40}$/.test(v);
const isNumber = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) > 0;
const isName = (v: unknown): v is string => typeof v === "string" && v !== "" && v.length <= 256;

/**
 * Checks the fields the handlers read of a delivery they handle, so a signed but malformed payload
 * is answered 400 with a reason instead of failing as a TypeError in a handler. Deliveries of events
 * the bot does not handle are `handled: false` (answered 200, nothing read).
 */
export function checkPayload(event: string, payload: unknown): PayloadCheck {
  if (!isObject(payload)) return { ok: false, reason: "the payload is not a JSON object" };
  const action = payload.action;
  const handles = (actions: readonly string[]) => typeof action === "string" && actions.includes(action);
  const kind =
    event === "push"
      ? "push"
      : event === "pull_request" && handles(PR_ACTIONS)
        ? "pull"
        : event === "pull_request_review" && handles(REVIEW_ACTIONS)
          ? "pull"
          : (event === "check_run" || event === "check_suite") && handles(RECHECK_ACTIONS)
            ? "check"
            : undefined;
  if (!kind) return { ok: true, handled: false };
  const name = `${event}${typeof action === "string" ? `.${action}` : ""}`;
  const bad = (what: string) => ({ ok: false as const, reason: `${name}: ${what}` });

  const installation = payload.installation;
  if (!isObject(installation) || !isNumber(installation.id))
    return bad("installation.id must be a positive whole number (every GitHub App delivery carries one)");
  const repo = payload.repository;
  if (!isObject(repo) || !isName(repo.name) || !isObject(repo.owner) || !isName(repo.owner.login))
    return bad("repository.name and repository.owner.login must be non-empty strings");
  const repository = `${repo.owner.login}/${repo.name}`;
  const repoKey = repository.toLowerCase();

  if (kind === "pull") {
    const pr = payload.pull_request;
    if (!isObject(pr)) return bad("pull_request must be an object");
    if (!isNumber(pr.number)) return bad("pull_request.number must be a positive whole number");
    if (!isObject(pr.head) || !isSha(pr.head.sha))
      return bad("pull_request.head.sha must be a 40-character hex commit SHA");
    if (payload.changes !== undefined && !isObject(payload.changes))
      return bad("changes must be an object when present");
    return {
      ok: true,
      handled: true,
      key: pullKey(repo.owner.login, repo.name, pr.number),
      repository,
      pr: pr.number,
      headSha: pr.head.sha,
    };
  }
  if (kind === "push") {
    if (typeof payload.ref !== "string") return bad("ref must be a string");
    if (!isName(repo.default_branch)) return bad("repository.default_branch must be a non-empty string");
    if (typeof payload.deleted !== "boolean") return bad("deleted must be a boolean");
    if (!payload.deleted && !isSha(payload.after)) return bad("after must be a 40-character hex commit SHA");
    // One repository's pushes apply in order: a later push must not be overtaken by an earlier one.
    return { ok: true, handled: true, key: `${repoKey}:push`, repository, headSha: payload.after as string };
  }
  const check = payload[event];
  if (!isObject(check)) return bad(`${event} must be an object`);
  if (!isSha(check.head_sha)) return bad(`${event}.head_sha must be a 40-character hex commit SHA`);
  if (
    !Array.isArray(check.pull_requests) ||
    !check.pull_requests.every((p) => isObject(p) && isNumber(p.number))
  )
    return bad(`${event}.pull_requests must be a list of objects with a positive whole number`);
  const first = (check.pull_requests[0] as { number: number } | undefined)?.number;
  return {
    ok: true,
    handled: true,
    // Serialized with the pull request it names; a head no PR lists is its own key.
    key: first !== undefined ? `${repoKey}#${first}` : `${repoKey}@${check.head_sha}`,
    repository,
    ...(first !== undefined ? { pr: first } : {}),
    headSha: check.head_sha,
  };
}
