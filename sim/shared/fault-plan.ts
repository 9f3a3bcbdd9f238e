import type { JsonReply } from "./json-reply.js";
import type { PendingTimers } from "./pending-timers.js";

/** A planned failure or slowdown: the next `times` calls matching service, method and path are affected. */
export interface FaultSpec<S extends string = string> {
  service: S;
  /** HTTP method to match; any when omitted. */
  method?: string;
  /** Exact request path, or a regex tested on the path; any when omitted. */
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
export class FaultPlan<Spec extends FaultSpec> {
  private readonly planned: { spec: Spec; left: number }[] = [];

  /** Plans a fault. */
  add(spec: Spec): void {
    if (spec.status === undefined && spec.delayMs === undefined)
      throw new Error("sim: failNext needs a status, a delayMs, or both");
    this.planned.push({ spec, left: spec.times ?? 1 });
  }

  /** Forgets every planned fault. */
  clear(): void {
    this.planned.length = 0;
  }

  /** Takes one use of the first fault matching this call, if any. */
  take(service: Spec["service"], method: string, path: string): Spec | undefined {
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

/** The error body a service answers a planned fault with when the fault gives none. */
export type FaultBody = (status: number, message: string | undefined) => unknown;

/**
 * Answers one call: waits out a planned delay, then replies as a planned fault says, or with `answer()`.
 * `faulted` is true when a fault's status replied instead of the service.
 */
export async function answerOrFault<Spec extends FaultSpec>(
  deps: { faults: FaultPlan<Spec>; timers: PendingTimers },
  call: { service: Spec["service"]; method: string; path: string },
  faultBody: FaultBody,
  answer: () => JsonReply | Promise<JsonReply>,
): Promise<{ reply: JsonReply; faulted: boolean }> {
  const fault = deps.faults.take(call.service, call.method, call.path);
  if (fault?.delayMs) await deps.timers.wait(fault.delayMs);
  if (fault?.status === undefined) return { reply: await answer(), faulted: false };
  const headers: Record<string, string> = {};
  if (fault.retryAfter !== undefined) headers["retry-after"] = String(fault.retryAfter);
  const body = fault.body ?? faultBody(fault.status, fault.message);
  return { reply: { status: fault.status, body, headers }, faulted: true };
}
