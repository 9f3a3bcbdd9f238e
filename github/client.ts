import { retry } from "@octokit/plugin-retry";
import { throttling } from "@octokit/plugin-throttling";
import { Octokit } from "@octokit/rest";

/** The part of Octokit the adapter uses; Probot's context.octokit and a plain Octokit both fit. */
export type GitHubClient = Pick<Octokit, "request" | "paginate">;

const RetryingOctokit = Octokit.plugin(retry, throttling);

/** An Octokit with retry and throttling, for the CLI (`jitops reconcile`) and tests. */
export function createClient(options: { token: string; baseUrl?: string; retries?: number }): GitHubClient {
  return new RetryingOctokit({
    auth: options.token,
    ...(options.baseUrl ? { baseUrl: options.baseUrl } : {}),
    request: { retries: options.retries ?? 3, retryAfter: 1 },
    throttle: {
      // Wait and retry once on primary and secondary rate limits, then give up (fail closed).
      onRateLimit: (_after: number, _opts: object, _o: unknown, count: number) => count < 1,
      onSecondaryRateLimit: (_after: number, _opts: object, _o: unknown, count: number) => count < 1,
    },
    headers: { "x-github-api-version": "2022-11-28" },
    // Expected 404s (a CODEOWNERS that is not there) are answers, not errors: callers decide what to report.
    log: { debug: () => undefined, info: () => undefined, warn: console.warn, error: () => undefined },
  });
}
