import type { ApiReply } from "./router.js";

/** A planned failure: the next `times` calls matching method and path answer `status`. */
export interface FaultSpec {
  /** HTTP method to match; any when omitted. */
  method?: string;
  /** Exact request path, GitHub's route template (`/repos/{owner}/{repo}/pulls/{pull_number}`), or a regex on the path. */
  path: string | RegExp;
  status: number;
  /** How many calls fail (default 1). */
  times?: number;
  /** Seconds to put in `retry-after`. */
  retryAfter?: number;
  /** Error message; 403 and 429 default to GitHub's secondary rate limit message. */
  message?: string;
}

const SECONDARY_LIMIT =
  "You have exceeded a secondary rate limit. Please wait a few minutes before you try again. If you reach out to GitHub Support for help, please include the request ID.";

/** Holds planned failures and hands out the first that matches a call. */
export class FaultInjector {
  private readonly planned: { spec: FaultSpec; left: number }[] = [];

  /** Plans a failure. */
  add(spec: FaultSpec): void {
    this.planned.push({ spec, left: spec.times ?? 1 });
  }

  /** Forgets every planned failure. */
  clear(): void {
    this.planned.length = 0;
  }

  /** Takes one use of the first failure matching this call, if any. */
  take(method: string, path: string, template: string | undefined): FaultSpec | undefined {
    const i = this.planned.findIndex(({ spec }) => {
      if (spec.method && spec.method.toUpperCase() !== method) return false;
      if (spec.path instanceof RegExp) return spec.path.test(path);
      return spec.path === path || spec.path === template;
    });
    const hit = this.planned[i];
    if (!hit) return undefined;
    if (--hit.left <= 0) this.planned.splice(i, 1);
    return hit.spec;
  }
}

/** The answer a planned failure gives, shaped like GitHub's errors. */
export function faultReply(spec: FaultSpec): ApiReply {
  const limited = spec.status === 403 || spec.status === 429;
  const message =
    spec.message ?? (limited ? SECONDARY_LIMIT : spec.status >= 500 ? "Server Error" : "Simulated failure");
  const headers: Record<string, string> = {};
  if (spec.retryAfter !== undefined) headers["retry-after"] = String(spec.retryAfter);
  const documentation_url = limited
    ? "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits"
    : "https://docs.github.com/rest";
  return { status: spec.status, body: { message, documentation_url }, headers };
}
