import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { createHash, randomUUID } from "node:crypto";
import { readBody } from "../shared/read-body.js";
import { SimRequestError } from "./errors.js";
import { faultReply, type FaultInjector } from "./faults.js";
import { matchRoute, type ApiReply, type Route } from "./router.js";

/** One REST call as the call log records it. */
export interface ApiCall {
  method: string;
  /** GitHub's route template, or `unknown` for unmatched paths. */
  route: string;
  path: string;
  status: number;
}

/** What the HTTP layer needs from the simulator. */
export interface ApiServerDeps {
  routes: readonly Route[];
  faults: FaultInjector;
  calls: ApiCall[];
  /** Login the Authorization header stands for. */
  actorFor: (authorization: string) => string;
  /** Primary rate limit: `used` counts every call since start (the bot's budget is 5,000 an hour). */
  rateLimit: { limit: number; resetEpoch: number; used: number };
  /** Base URL of the server (for pagination links). */
  base: () => string;
}

const DOCS = "https://docs.github.com/rest";
const SUPPORTED_VERSIONS = ["2022-11-28", "2026-03-10"];

function errorReply(status: number, message: string, errors?: unknown[]): ApiReply {
  return {
    status,
    body: { message, documentation_url: DOCS, ...(errors ? { errors } : {}), status: String(status) },
  };
}

/** Answers one request: auth, API version, planned faults, then the route. */
function answer(
  deps: ApiServerDeps,
  req: IncomingMessage,
  url: URL,
  raw: string,
): { reply: ApiReply; template: string } {
  const method = req.method ?? "GET";
  const match = matchRoute(deps.routes, method, url.pathname);
  const template = match.route?.template ?? "unknown";
  const authorization = req.headers.authorization;
  if (!authorization) return { reply: errorReply(401, "Requires authentication"), template };
  const version = req.headers["x-github-api-version"];
  if (typeof version === "string" && !SUPPORTED_VERSIONS.includes(version))
    return {
      reply: errorReply(
        400,
        `API version '${version}' is not supported; use one of ${SUPPORTED_VERSIONS.join(", ")}`,
      ),
      template,
    };
  const fault = deps.faults.take(method, url.pathname, match.route?.template);
  if (fault) return { reply: faultReply(fault), template };
  if (!match.route) return { reply: errorReply(404, "Not Found"), template };
  let body: Record<string, unknown> = {};
  if (raw.trim() !== "") {
    try {
      const parsed: unknown = JSON.parse(raw);
      if (typeof parsed === "object" && parsed !== null && !Array.isArray(parsed))
        body = parsed as Record<string, unknown>;
    } catch {
      return { reply: errorReply(400, "Problems parsing JSON"), template };
    }
  }
  try {
    const reply = match.route.handler({
      method,
      url: new URL(url.pathname + url.search, deps.base()),
      params: match.params,
      query: url.searchParams,
      body,
      headers: req.headers,
      actor: deps.actorFor(authorization),
    });
    return { reply, template };
  } catch (err) {
    if (err instanceof SimRequestError)
      return { reply: errorReply(err.status, err.message, err.errors), template };
    const message = err instanceof Error ? err.message : String(err);
    return { reply: errorReply(500, `sim: ${message}`), template };
  }
}

function send(deps: ApiServerDeps, res: ServerResponse, reply: ApiReply): void {
  const used = deps.rateLimit.used;
  const headers: Record<string, string> = {
    "x-github-api-version-selected": "2022-11-28",
    "x-github-media-type": "github.v3; format=json",
    "x-github-request-id": randomUUID().toUpperCase(),
    "x-ratelimit-limit": String(deps.rateLimit.limit),
    "x-ratelimit-remaining": String(Math.max(0, deps.rateLimit.limit - used)),
    "x-ratelimit-reset": String(deps.rateLimit.resetEpoch),
    "x-ratelimit-used": String(used),
    "x-ratelimit-resource": "core",
    ...reply.headers,
  };
  if (reply.raw !== undefined) {
    res.writeHead(reply.status, { "content-type": "application/vnd.github.raw; charset=utf-8", ...headers });
    res.end(reply.raw);
  } else if (reply.body === undefined || reply.status === 204) {
    res.writeHead(reply.status, headers);
    res.end();
  } else {
    res.writeHead(reply.status, { "content-type": "application/json; charset=utf-8", ...headers });
    res.end(JSON.stringify(reply.body));
  }
}

/**
 * Conditional requests as GitHub answers them: every successful GET carries a weak ETag of its
 * body, and a request whose `If-None-Match` names it is answered 304 with no body.
 */
function conditional(req: IncomingMessage, reply: ApiReply): ApiReply {
  if ((req.method ?? "GET") !== "GET" || reply.status !== 200) return reply;
  const content = reply.raw ?? JSON.stringify(reply.body ?? null);
  const etag = `W/"${createHash("sha256").update(content).digest("hex").slice(0, 40)}"`;
  const headers = { ...reply.headers, etag };
  const asked = req.headers["if-none-match"];
  if (typeof asked === "string" && asked.split(/\s*,\s*/).includes(etag)) return { status: 304, headers };
  return { ...reply, headers };
}

/** An HTTP server answering GitHub's REST routes; every call lands in `deps.calls`. */
export function createApiServer(deps: ApiServerDeps): Server {
  return createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? "/", "http://sim.invalid");
      const raw = await readBody(req);
      const answered = answer(deps, req, url, raw);
      const { template } = answered;
      const reply = conditional(req, answered.reply);
      deps.calls.push({
        method: req.method ?? "GET",
        route: template,
        path: url.pathname,
        status: reply.status,
      });
      // Like GitHub: an authorized request answered 304 Not Modified does not count against the limit.
      if (reply.status !== 304) deps.rateLimit.used++;
      send(deps, res, reply);
    })().catch((err: unknown) => {
      res.writeHead(500, { "content-type": "application/json" });
      res.end(JSON.stringify({ message: `sim: ${String(err)}`, documentation_url: DOCS }));
    });
  });
}
