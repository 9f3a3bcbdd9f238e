import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { createServer as createTlsServer } from "node:https";
import type { AddressInfo } from "node:net";
import type { IdentityFaults } from "./faults.js";
import type { IdentityCall, ServiceRoutes, SimReply, SimRequest } from "./types.js";

/** What the server needs besides its routes. */
export interface ServerDeps {
  routes: readonly ServiceRoutes[];
  faults: IdentityFaults;
  calls: IdentityCall[];
  /** Pending delayed answers, cancelled on stop. */
  timers: Set<NodeJS.Timeout>;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

function send(res: ServerResponse, reply: SimReply): void {
  if (res.destroyed) return;
  const headers = { "cache-control": "no-store", ...reply.headers };
  if (reply.body === undefined) {
    res.writeHead(reply.status, headers);
    res.end();
    return;
  }
  res.writeHead(reply.status, { "content-type": "application/json; charset=utf-8", ...headers });
  res.end(JSON.stringify(reply.body));
}

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

function sleep(ms: number, timers: Set<NodeJS.Timeout>): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(() => {
      timers.delete(t);
      resolve();
    }, ms);
    timers.add(t);
  });
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
  const fault = deps.faults.take(svc.service, method, rel);
  if (fault?.delayMs) await sleep(fault.delayMs, deps.timers);
  let reply: SimReply;
  if (fault?.status !== undefined) {
    const headers: Record<string, string> = {};
    if (fault.retryAfter !== undefined) headers["retry-after"] = String(fault.retryAfter);
    const message =
      fault.message ?? (fault.status >= 500 ? "The service is currently unavailable." : "Simulated failure");
    reply = { status: fault.status, body: fault.body ?? svc.faultBody(fault.status, message), headers };
  } else {
    try {
      reply = await svc.handle(request);
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      reply = { status: 500, body: svc.faultBody(500, `sim: ${message}`) };
    }
  }
  deps.calls.push({
    service: svc.service,
    method,
    path: rel,
    status: reply.status,
    faulted: fault?.status !== undefined,
  });
  return reply;
}

function listener(deps: ServerDeps, scheme: "http" | "https") {
  return (req: IncomingMessage, res: ServerResponse): void => {
    const origin = `${scheme}://${req.headers.host ?? "127.0.0.1"}`;
    answer(deps, req, origin).then(
      (reply) => send(res, reply),
      (err: unknown) =>
        send(res, { status: 500, body: { error: "server_error", error_description: `sim: ${String(err)}` } }),
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

/** Listens on 127.0.0.1 on a free port; resolves to the port. */
export async function listenLoopback(server: Server): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  return (server.address() as AddressInfo).port;
}

/** Drops open connections and closes the server. */
export async function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}
