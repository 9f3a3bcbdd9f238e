import type { IdentityService } from "./types.js";

/** A planned failure or slowdown: the next `times` calls matching service, method and path are affected. */
export interface IdentityFaultSpec {
  service: IdentityService;
  /** HTTP method to match; any when omitted. */
  method?: string;
  /** Path relative to the service URL (`/v1/token`), or a regex tested on it; any when omitted. */
  path?: string | RegExp;
  /** Status to answer; when omitted the call is only delayed, then answered normally. */
  status?: number;
  /** How many calls are affected (default 1). */
  times?: number;
  /** Milliseconds to wait before answering (for client timeouts). */
  delayMs?: number;
  /** Response body; defaults to the service's own error shape. */
  body?: unknown;
  /** Error message in the default body. */
  message?: string;
  /** Seconds to put in `Retry-After`. */
  retryAfter?: number;
}

/** Holds planned faults and hands out the first that matches a call. */
export class IdentityFaults {
  private readonly planned: { spec: IdentityFaultSpec; left: number }[] = [];

  /** Plans a fault. */
  add(spec: IdentityFaultSpec): void {
    if (spec.status === undefined && spec.delayMs === undefined)
      throw new Error("sim: failNext needs a status, a delayMs, or both");
    this.planned.push({ spec, left: spec.times ?? 1 });
  }

  /** Forgets every planned fault. */
  clear(): void {
    this.planned.length = 0;
  }

  /** Takes one use of the first fault matching this call, if any. */
  take(service: IdentityService, method: string, path: string): IdentityFaultSpec | undefined {
    const i = this.planned.findIndex(({ spec }) => {
      if (spec.service !== service) return false;
      if (spec.method && spec.method.toUpperCase() !== method) return false;
      if (spec.path === undefined) return true;
      return spec.path instanceof RegExp ? spec.path.test(path) : spec.path === path;
    });
    const hit = this.planned[i];
    if (!hit) return undefined;
    if (--hit.left <= 0) this.planned.splice(i, 1);
    return hit.spec;
  }
}
