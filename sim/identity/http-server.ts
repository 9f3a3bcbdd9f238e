import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { createServer as createTlsServer } from "node:https";
import { answerOrFault } from "../shared/fault-plan.js";
import { sendJsonReply } from "../shared/json-reply.js";
import type { SimServerDeps } from "../shared/loopback-sim.js";
import { readBody } from "../shared/read-body.js";
import type { IdentityFaultSpec } from "./faults.js";
import type { IdentityCall, ServiceRoutes, SimReply, SimRequest } from "./types.js";

/** What the server needs besides its routes. */
export interface ServerDeps extends SimServerDeps<IdentityFaultSpec, IdentityCall> {
  routes: readonly ServiceRoutes[];
}

/** Identity endpoints never let a token answer be cached. */
const NO_STORE = { "cache-control": "no-store" };

/** Finds the service for a path and the path relative to it. */
function route(
  routes: readonly ServiceRoutes[],
  path: string,
): { svc: ServiceRoutes; rel: string } | undefined {
  for (const svc of routes) {
    if (typeof svc.prefix === "string") {
      if (path === svc.prefix || path.startsWith(`${svc.prefix}/`))
        return { svc, rel: path.slice(svc.prefix.length) };
    } else if (svc.prefix.test(path)) return { svc, rel: path };
  }
  return undefined;
}

function defaultFaultMessage(status: number): string {
  return status >= 500 ? "The service is currently unavailable." : "Simulated failure";
}

async function answer(deps: ServerDeps, req: IncomingMessage, origin: string): Promise<SimReply> {
  const url = new URL(req.url ?? "/", origin);
  const raw = await readBody(req);
  const method = req.method ?? "GET";
  let decoded: string;
  try {
    decoded = decodeURIComponent(url.pathname);
  } catch {
    return {
      status: 400,
      body: { error: "invalid_request", error_description: "Malformed percent-encoding in path." },
    };
  }
  const hit = route(deps.routes, decoded);
  if (!hit)
    return {
      status: 404,
      body: { error: "not_found", error_description: `sim: no identity service at ${decoded}` },
    };
  const { svc, rel } = hit;
  const request: SimRequest = {
    method,
    path: rel,
    query: url.searchParams,
    headers: req.headers,
    raw,
    origin,
  };
  const call = { service: svc.service, method, path: rel };
  const { reply, faulted } = await answerOrFault(
    deps,
    call,
    (status, message) => svc.faultBody(status, message ?? defaultFaultMessage(status)),
    async () => {
      try {
        return await svc.handle(request);
      } catch (err) {
        const message = err instanceof Error ? err.message : String(err);
        return { status: 500, body: svc.faultBody(500, `sim: ${message}`) };
      }
    },
  );
  deps.calls.push({ ...call, status: reply.status, faulted });
  return reply;
}

function listener(deps: ServerDeps, scheme: "http" | "https") {
  return (req: IncomingMessage, res: ServerResponse): void => {
    const origin = `${scheme}://${req.headers.host ?? "127.0.0.1"}`;
    answer(deps, req, origin).then(
      (reply) => sendJsonReply(res, reply, NO_STORE),
      (err: unknown) =>
        sendJsonReply(
          res,
          { status: 500, body: { error: "server_error", error_description: `sim: ${String(err)}` } },
          NO_STORE,
        ),
    );
  };
}

/** A plain HTTP server routing every identity service by path prefix. */
export function createPlainServer(deps: ServerDeps): Server {
  return createServer(listener(deps, "http"));
}

/** The same routes over TLS (MSAL refuses an authority that is not https). */
export function createTlsIdentityServer(deps: ServerDeps, tls: { key: string; cert: string }): Server {
  return createTlsServer(tls, listener(deps, "https"));
}
