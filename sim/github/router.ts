import type { IncomingHttpHeaders } from "node:http";

/** A parsed REST request as route handlers see it. */
export interface ApiRequest {
  method: string;
  /** Full request URL (for pagination links). */
  url: URL;
  params: Record<string, string>;
  query: URLSearchParams;
  body: Record<string, unknown>;
  headers: IncomingHttpHeaders;
  /** Login the Authorization header stands for (the app's bot for app and installation tokens). */
  actor: string;
}

/** A REST answer: status, JSON body (omitted for 204) and extra headers. */
export interface ApiReply {
  status: number;
  body?: unknown;
  /** Sent as is instead of JSON (raw media types). */
  raw?: string;
  headers?: Record<string, string>;
}

/** Handles one route. */
export type Handler = (req: ApiRequest) => ApiReply;

/** A route: method, GitHub's path template (e.g. `/repos/{owner}/{repo}/pulls/{pull_number}`) and handler. */
export interface Route {
  method: string;
  template: string;
  pattern: RegExp;
  keys: string[];
  handler: Handler;
}

/** Defines a route; `{name+}` in the template matches several path segments. */
export function route(method: string, template: string, handler: Handler): Route {
  const keys: string[] = [];
  const source = template
    .replace(/[.*?^$()|[\]\\]/g, "\\$&")
    .replace(/\{(\w+)(\+?)\}/g, (_m, key: string, plus: string) => {
      keys.push(key);
      return plus ? "(.+)" : "([^/]+)";
    });
  return { method, template, pattern: new RegExp(`^${source}/?$`), keys, handler };
}

/** Finds the route for a method and path, with its decoded parameters. */
export function matchRoute(
  routes: readonly Route[],
  method: string,
  path: string,
): { route: Route; params: Record<string, string> } | { route: undefined; methodMismatch: boolean } {
  let methodMismatch = false;
  for (const r of routes) {
    const m = r.pattern.exec(path);
    if (!m) continue;
    if (r.method !== method) {
      methodMismatch = true;
      continue;
    }
    const params: Record<string, string> = {};
    r.keys.forEach((k, i) => (params[k] = decodeURIComponent(m[i + 1] ?? "")));
    return { route: r, params };
  }
  return { route: undefined, methodMismatch };
}

/** A string field of a JSON body, or undefined. */
export function bodyString(body: Record<string, unknown>, key: string): string | undefined {
  const v = body[key];
  return typeof v === "string" ? v : undefined;
}

/** A string-array field of a JSON body, or undefined. */
export function bodyStrings(body: Record<string, unknown>, key: string): string[] | undefined {
  const v = body[key];
  if (!Array.isArray(v)) return undefined;
  return v.filter((x): x is string => typeof x === "string");
}

/** A positive integer path parameter, or undefined. */
export function intParam(req: ApiRequest, key: string): number | undefined {
  const v = Number(req.params[key]);
  return Number.isInteger(v) && v > 0 ? v : undefined;
}
