import type { ServerResponse } from "node:http";

/** An HTTP answer: status, JSON body (omitted when undefined) and extra headers. */
export interface JsonReply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

/** Writes a reply, its body as JSON; `baseHeaders` come first so the reply's own headers win. */
export function sendJsonReply(
  res: ServerResponse,
  reply: JsonReply,
  baseHeaders: Record<string, string> = {},
): void {
  if (res.destroyed) return;
  const headers = { ...baseHeaders, ...reply.headers };
  if (reply.body === undefined) {
    res.writeHead(reply.status, headers);
    res.end();
    return;
  }
  res.writeHead(reply.status, { "content-type": "application/json; charset=utf-8", ...headers });
  res.end(JSON.stringify(reply.body));
}
