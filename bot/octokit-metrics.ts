import type { BotMetrics } from "./bot-metrics.js";

interface HookedOctokit {
  hook: {
    wrap(
      name: "request",
      fn: (request: (o: unknown) => Promise<Answer>, options: unknown) => Promise<Answer>,
    ): void;
  };
}
interface Answer {
  status: number;
  headers: Record<string, string | number | undefined>;
}

/**
 * An Octokit plugin counting every REST call by installation and HTTP status and keeping the
 * rate limit GitHub reported last. Probot builds one Octokit per installation with
 * `auth.installationId`; the App's own client (JWT) counts as installation "app".
 */
export function octokitMetrics(metrics: BotMetrics) {
  return (octokit: HookedOctokit, options: { auth?: { installationId?: number | string } }): void => {
    const installation = String(options.auth?.installationId ?? "app");
    const record = (status: string, headers: Answer["headers"] | undefined) => {
      metrics.apiCalls.inc({ installation, status });
      const remaining = Number(headers?.["x-ratelimit-remaining"]);
      if (headers?.["x-ratelimit-remaining"] !== undefined && Number.isFinite(remaining))
        metrics.rateLimitRemaining.set({ installation }, remaining);
    };
    octokit.hook.wrap("request", async (request, requestOptions) => {
      try {
        const answer = await request(requestOptions);
        record(String(answer.status), answer.headers);
        return answer;
      } catch (e) {
        const err = e as { status?: number; response?: Answer };
        record(err.status ? String(err.status) : "error", err.response?.headers);
        throw e;
      }
    });
  };
}
