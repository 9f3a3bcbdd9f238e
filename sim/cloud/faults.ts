import type { CloudReply, CloudService, CloudServiceHandler } from "./types.js";

/** A planned failure or slowdown: the next `times` calls matching service, method and path are affected. */
export interface CloudFaultSpec {
  service: CloudService;
  /** HTTP method to match; any when omitted. */
  method?: string;
  /** Exact request path (e.g. `/v3/projects/p:setIamPolicy`) or a regex tested on the path. */
  path: string | RegExp;
  /** Status to answer; when omitted the call is only delayed, then answered normally. */
  status?: number;
  /** How many calls are affected (default 1). */
  times?: number;
  /** Milliseconds to wait before answering (for client timeouts). */
  delayMs?: number;
  /** Response body; defaults to the service's own error shape. */
  body?: unknown;
  /** Seconds to put in `Retry-After`. */
  retryAfter?: number;
  /** Error message in the default body. */
  message?: string;
}

/** Holds planned faults and hands out the first that matches a call. */
export class CloudFaults {
  private readonly planned: { spec: CloudFaultSpec; left: number }[] = [];

  /** Plans a fault. */
  add(spec: CloudFaultSpec): void {
    if (spec.status === undefined && spec.delayMs === undefined)
      throw new Error("sim: failNext needs a status, a delayMs, or both");
    this.planned.push({ spec, left: spec.times ?? 1 });
  }

  /** Forgets every planned fault. */
  clear(): void {
    this.planned.length = 0;
  }

  /** Takes one use of the first fault matching this call, if any. */
  take(service: CloudService, method: string, path: string): CloudFaultSpec | undefined {
    const i = this.planned.findIndex(({ spec }) => {
      if (spec.service !== service) return false;
      if (spec.method && spec.method.toUpperCase() !== method) return false;
      return spec.path instanceof RegExp ? spec.path.test(path) : spec.path === path;
    });
    const hit = this.planned[i];
    if (!hit) return undefined;
    if (--hit.left <= 0) this.planned.splice(i, 1);
    return hit.spec;
  }
}

/** The answer a planned fault with a status gives, in the service's error shape. */
export function faultReply(
  spec: CloudFaultSpec & { status: number },
  handler: CloudServiceHandler,
): CloudReply {
  const headers: Record<string, string> = {};
  if (spec.retryAfter !== undefined) headers["retry-after"] = String(spec.retryAfter);
  return { status: spec.status, body: spec.body ?? handler.faultBody(spec.status, spec.message), headers };
}
