import { createServer, type Server } from "node:http";
import { bearerToken } from "../shared/bearer-token.js";
import { answerOrFault } from "../shared/fault-plan.js";
import { sendJsonReply } from "../shared/json-reply.js";
import type { SimServerDeps } from "../shared/loopback-sim.js";
import { readBody } from "../shared/read-body.js";
import type { CloudFaultSpec } from "./faults.js";
import type {
  CallClass,
  CloudCall,
  CloudReply,
  CloudRequest,
  CloudServiceHandler,
  SimCaller,
} from "./types.js";

/** What a service server needs besides its handler; `callers` and `clock` make audit logs possible. */
export type HttpServiceDeps = SimServerDeps<CloudFaultSpec, CloudCall> & {
  clock?: () => Date;
  callerOf?: (token: string) => SimCaller | undefined;
  /** How long audit entries take to reach the logs, in ms, now. */
  auditDelayMs?: () => number;
};

function safeDecode(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}

function classifySafely(handler: CloudServiceHandler, req: CloudRequest): CallClass {
  try {
    return handler.classify(req);
  } catch {
    return { kind: req.method === "GET" ? "read" : "write", resource: "unknown", operation: "unknown" };
  }
}

function answer(handler: CloudServiceHandler, req: CloudRequest): CloudReply {
  if (bearerToken(req.headers) === undefined) return handler.unauthenticated();
  try {
    return handler.handle(req);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    return { status: 500, body: handler.faultBody(500, `sim: ${message}`) };
  }
}

/** An HTTP server for one service: bearer check, planned faults, then the handler; every call is logged. */
export function createHttpService(handler: CloudServiceHandler, deps: HttpServiceDeps): Server {
  return createServer((req, res) => {
    void (async () => {
      // Not `new URL(req.url, base)`: ARM SDKs send `//subscriptions/…`, which URL reads as a host.
      const target = req.url ?? "/";
      const q = target.indexOf("?");
      const request: CloudRequest = {
        method: req.method ?? "GET",
        path: safeDecode(q < 0 ? target : target.slice(0, q)).replace(/\/{2,}/g, "/"),
        query: new URLSearchParams(q < 0 ? "" : target.slice(q + 1)),
        headers: req.headers,
        raw: await readBody(req),
      };
      const token = bearerToken(req.headers);
      const caller = token === undefined ? undefined : deps.callerOf?.(token);
      if (caller) request.caller = caller;
      const time = deps.clock?.();
      const cls = classifySafely(handler, request);
      const call = { service: handler.service, method: request.method, path: request.path };
      const { reply, faulted } = await answerOrFault(
        deps,
        call,
        (status, message) => handler.faultBody(status, message),
        () => answer(handler, request),
      );
      const { audit } = reply as CloudReply;
      deps.calls.push({
        ...call,
        status: reply.status,
        faulted,
        ...cls,
        ...(time ? { time: time.toISOString() } : {}),
        ...(caller ? { caller } : {}),
        ...(audit && time && !faulted
          ? { audit, loggedAt: new Date(time.getTime() + (deps.auditDelayMs?.() ?? 0)).toISOString() }
          : {}),
      });
      sendJsonReply(res, reply);
    })().catch((err: unknown) => {
      sendJsonReply(res, { status: 500, body: handler.faultBody(500, `sim: ${String(err)}`) });
    });
  });
}
