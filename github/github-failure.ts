import { networkCause } from "../core/network-cause.js";
import { RemoteError } from "../core/remote-error.js";

/** The settings a failure message points at; the CLI's names by default. */
export interface GitHubSettings {
  /** Where the API URL came from. */
  apiUrl: string;
  /** Where the token came from. */
  token: string;
}

/** The CLI's settings: `--api-url` or `GITHUB_API_URL`, and `GITHUB_TOKEN` or `GH_TOKEN`. */
export const CLI_SETTINGS: GitHubSettings = {
  apiUrl: "--api-url / GITHUB_API_URL",
  token: "GITHUB_TOKEN / GH_TOKEN",
};

/** The Action's settings: the runner's `GITHUB_API_URL`, and the `token` input. */
export const ACTION_SETTINGS: GitHubSettings = {
  apiUrl: "GITHUB_API_URL (set by the runner; GitHub Enterprise Server sets its own)",
  token: "the action's token input (actions/create-github-app-token)",
};

/** The fields of an Octokit RequestError this reads (duck-typed: Probot bundles its own copy). */
interface OctokitError {
  name?: string;
  status?: number;
  message?: string;
  request?: { method?: string; url?: string; request?: { retryCount?: number } };
  response?: { headers?: Record<string, string | undefined>; data?: unknown };
}

function where(e: OctokitError): { host: string; call: string } {
  try {
    const url = new URL(e.request?.url ?? "");
    return { host: url.host, call: `${e.request?.method ?? "GET"} ${url.pathname}` };
  } catch {
    return { host: "the GitHub API", call: e.request?.method ?? "a request" };
  }
}

/** GitHub's own words: the `message` of its JSON error body, else the status text Octokit kept. */
function saying(e: OctokitError): string {
  const data = e.response?.data as { message?: unknown } | undefined;
  const text = typeof data?.message === "string" ? data.message : (e.message ?? "");
  return text.replace(/ - https:\/\/docs\.github\.com\S*$/, "").slice(0, 200);
}

/** True for an Octokit error that carries no HTTP answer: the request never got one. */
export function isNoAnswer(e: unknown): boolean {
  const err = e as OctokitError;
  return err?.name === "HttpError" && err.request !== undefined && err.response === undefined;
}

/** A GitHub API failure (after retries) as a RemoteError naming the host, the call and the setting to check. */
export function githubFailure(e: unknown, settings: GitHubSettings = CLI_SETTINGS): RemoteError {
  const err = e as OctokitError;
  const { host, call } = where(err);
  if (isNoAnswer(err)) {
    const cause = networkCause(err) ?? (err.message || "no answer");
    return new RemoteError({
      service: "github",
      host,
      what: `GitHub at ${host} could not be reached for ${call}: ${cause}`,
      hint: `check ${settings.apiUrl} and the network`,
      cause: e,
    });
  }
  const status = err.status ?? 0;
  const said = saying(err);
  const answered = `GitHub (${host}) answered ${status}${said ? ` ${said}` : ""} to ${call}`;
  const headers = err.response?.headers ?? {};
  const rateLimited =
    status === 429 ||
    (status === 403 && (headers["x-ratelimit-remaining"] === "0" || /rate limit/i.test(said)));
  const retried = err.request?.request?.retryCount ?? 0;
  const hint =
    status === 401
      ? `the token was refused: check ${settings.token} (expired, revoked or for another host?)`
      : rateLimited
        ? `rate limited${headers["x-ratelimit-reset"] ? ` until ${new Date(Number(headers["x-ratelimit-reset"]) * 1000).toISOString()}` : ""}; try again later`
        : status === 403
          ? `the token lacks a permission this call needs: check ${settings.token} (jitops needs checks: write, pull-requests: write and contents: write)`
          : status === 404
            ? "check the repository name and that the token can read it"
            : status >= 500
              ? `GitHub failed${retried > 0 ? ` after ${retried} retries` : ""}; try again later`
              : undefined;
  return new RemoteError({
    service: "github",
    host,
    status,
    what: answered,
    ...(hint ? { hint } : {}),
    cause: e,
  });
}
