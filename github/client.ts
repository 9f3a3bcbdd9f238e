import { retry } from "@octokit/plugin-retry";
import { throttling, type ThrottlingOptions } from "@octokit/plugin-throttling";
import { Octokit } from "@octokit/rest";
import { RemoteError } from "../core/remote-error.js";
import { ConditionalCache, conditionalRequests } from "./conditional-requests.js";
import { deadlineFetch } from "./deadline-fetch.js";
import { CLI_SETTINGS, githubFailure, isNoAnswer, type GitHubSettings } from "./github-failure.js";

/** The part of Octokit the adapter uses; Probot's context.octokit and a plain Octokit both fit. */
export type GitHubClient = Pick<Octokit, "request" | "paginate">;

/** How long a request may wait for GitHub's answer before it fails, naming the host. */
export const DEFAULT_TIMEOUT_MS = 10_000;

/** How long a rate limit's Retry-After may be before jitops gives up instead of waiting. */
export const MAX_RATE_LIMIT_WAIT_S = 60;

type HookedOctokit = { hook: { error(name: "request", fn: (e: unknown) => never): void } };

/**
 * Registered before the retry plugin: a request that got no answer (refused, unknown host, no
 * answer before the deadline) leaves as a RemoteError, which the retry plugin does not retry.
 * Octokit reports these as status 500, so the retry plugin would wait 1 + 4 + 9 s in silence
 * on a host that is not there; the next run (cron, webhook redelivery) is the retry.
 */
function noAnswerIsFinal(settings: GitHubSettings) {
  return (octokit: unknown) => {
    (octokit as HookedOctokit).hook.error("request", (e) => {
      throw isNoAnswer(e) ? githubFailure(e, settings) : e;
    });
  };
}

/** Registered last: what is left after retries and rate-limit waits leaves as a RemoteError. */
function failuresAreRemote(settings: GitHubSettings) {
  return (octokit: unknown) => {
    (octokit as HookedOctokit).hook.error("request", (e) => {
      const status = (e as { status?: unknown }).status;
      // Below 400 (a 304 for a conditional request) is an answer some other plugin reads.
      const failed = typeof status === "number" && status >= 400 && !(e instanceof RemoteError);
      throw failed ? githubFailure(e, settings) : e;
    });
  };
}

/** What createClient accepts. */
export interface ClientOptions {
  token: string;
  baseUrl?: string;
  /** Retries of 5xx answers (401, 403, 404, 410, 422 and network failures are never retried). */
  retries?: number;
  /** How long each request may wait for an answer (default 10 s). */
  timeoutMs?: number;
  /** The unit of retry back-offs: the retries of a 5xx wait 1, 4 and 9 units (default 1000 ms). */
  retryUnitMs?: number;
  /** The settings failure messages name (default: the CLI's). */
  settings?: GitHubSettings;
  /** Kept responses for conditional reads (304s are not counted by GitHub); one per CLI run, a fresh one when omitted. */
  conditionalCache?: ConditionalCache;
  /**
   * Writes one a second, and those that notify people one every three seconds, as GitHub asks of
   * integrations (default true). False only against a simulator, where the pacing is all the time
   * a test takes; rate-limit answers are still waited out and retried either way.
   */
  pacing?: boolean;
}

type Limiter = NonNullable<Extract<ThrottlingOptions, { write?: unknown }>["write"]>;

/**
 * Stands in for the throttling plugin's write and notification limiters, which it only asks for
 * `key(id).schedule(options, job)`: runs each job at once. (The plugin's own limiters are shared by
 * every client in the process, so one test's writes would pace the next test's.)
 */
const UNPACED = {
  key: () => ({
    schedule: (_options: object, job: (...args: unknown[]) => unknown, ...args: unknown[]) =>
      Promise.resolve().then(() => job(...args)),
  }),
} as unknown as Limiter;

/**
 * An Octokit with retry, throttling and conditional reads, for the CLI (`jitops reconcile`) and tests. Failures are
 * RemoteErrors (status kept, so callers still tell a 404 from a 409) naming the host and the
 * setting to check.
 */
export function createClient(options: ClientOptions): GitHubClient {
  const settings = options.settings ?? CLI_SETTINGS;
  const unit = options.retryUnitMs ?? 1000;
  const RetryingOctokit = Octokit.plugin(
    noAnswerIsFinal(settings),
    retry,
    throttling,
    failuresAreRemote(settings),
    // Outermost: a 304 passes the other plugins untouched (below 400) and is answered here.
    conditionalRequests,
  );
  // Per-request retry settings must not go in `request` defaults: the retry plugin's limiter reads
  // them from every failed request, so a 401 would be retried too. The plugin's state is the place.
  return new RetryingOctokit({
    auth: options.token,
    ...(options.baseUrl ? { baseUrl: options.baseUrl } : {}),
    request: { fetch: deadlineFetch(options.timeoutMs ?? DEFAULT_TIMEOUT_MS) },
    retry: { retries: options.retries ?? 3, retryAfterBaseValue: unit },
    throttle: {
      retryAfterBaseValue: unit,
      ...(options.pacing === false ? { write: UNPACED, notifications: UNPACED } : {}),
      // Wait and retry once on primary and secondary rate limits, unless the wait is long; then fail closed.
      onRateLimit: (after: number, _opts: object, _o: unknown, count: number) =>
        count < 1 && after <= MAX_RATE_LIMIT_WAIT_S,
      onSecondaryRateLimit: (after: number, _opts: object, _o: unknown, count: number) =>
        count < 1 && after <= MAX_RATE_LIMIT_WAIT_S,
    },
    headers: { "x-github-api-version": "2022-11-28" },
    conditionalCache: options.conditionalCache ?? new ConditionalCache(),
    // Expected 404s (a CODEOWNERS that is not there) are answers, not errors: callers decide what to report.
    log: { debug: () => undefined, info: () => undefined, warn: console.warn, error: () => undefined },
  });
}
