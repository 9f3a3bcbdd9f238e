import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { faultReply, type CloudFaults } from "./faults.js";
import type { CallClass, CloudCall, CloudReply, CloudRequest, CloudServiceHandler } from "./types.js";

/** What a service server needs besides its handler. */
export interface HttpServiceDeps {
  faults: CloudFaults;
  calls: CloudCall[];
  /** Pending delayed answers, cancelled on stop. */
  timers: Set<NodeJS.Timeout>;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

function send(res: ServerResponse, reply: CloudReply): void {
  if (res.destroyed) return;
  const headers = { ...reply.headers };
  if (reply.body === undefined) {
    res.writeHead(reply.status, headers);
    res.end();
    return;
  }
  res.writeHead(reply.status, { "content-type": "application/json; charset=utf-8", ...headers });
  res.end(JSON.stringify(reply.body));
}

function safeDecode(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}

function hasBearer(req: CloudRequest): boolean {
  return /^bearer\s+\S+/i.test(req.headers.authorization ?? "");
}

function classifySafely(handler: CloudServiceHandler, req: CloudRequest): CallClass {
  try {
    return handler.classify(req);
  } catch {
    return { kind: req.method === "GET" ? "read" : "write", resource: "unknown", operation: "unknown" };
  }
}

function answer(handler: CloudServiceHandler, req: CloudRequest): CloudReply {
  if (!hasBearer(req)) return handler.unauthenticated();
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
      const cls = classifySafely(handler, request);
      const fault = deps.faults.take(handler.service, request.method, request.path);
      if (fault?.delayMs) {
        await new Promise<void>((resolve) => {
          const t = setTimeout(() => {
            deps.timers.delete(t);
            resolve();
          }, fault.delayMs);
          deps.timers.add(t);
        });
      }
      const faulted = fault?.status !== undefined;
      const reply =
        fault?.status !== undefined
          ? faultReply({ ...fault, status: fault.status }, handler)
          : answer(handler, request);
      deps.calls.push({
        service: handler.service,
        method: request.method,
        path: request.path,
        status: reply.status,
        faulted,
        ...cls,
      });
      send(res, reply);
    })().catch((err: unknown) => {
      send(res, { status: 500, body: handler.faultBody(500, `sim: ${String(err)}`) });
    });
  });
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

/** Parses a JSON object body; `undefined` for an empty body, `null` when it is not a JSON object. */
export function parseJsonObject(raw: string): Record<string, unknown> | undefined | null {
  if (raw.trim() === "") return undefined;
  try {
    const v: unknown = JSON.parse(raw);
    return typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}
