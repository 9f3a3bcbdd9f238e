import { createHash } from "node:crypto";
import { LruCache, type CacheBounds } from "../core/lru-cache.js";

/** A response kept to answer a 304 Not Modified with. */
interface Kept {
  etag: string;
  response: { status: number; url: string; headers: Record<string, unknown>; data: unknown };
}

/**
 * Responses of GET requests by ETag, shared by every client of one bot or CLI instance. An
 * authorized request answered 304 Not Modified does not count against GitHub's primary rate limit,
 * so a reconcile pass over unchanged pull requests costs no counted calls.
 */
export class ConditionalCache {
  private readonly kept: LruCache<Kept>;
  /** Requests answered 304 (not counted by GitHub) and requests that fetched a body. */
  readonly stats = { notModified: 0, fetched: 0 };

  constructor(bounds: CacheBounds = { entries: 4096, bytes: 32 * 1024 * 1024 }) {
    this.kept = new LruCache<Kept>(
      bounds,
      Infinity,
      undefined,
      (k) => JSON.stringify(k.response.data).length,
    );
  }

  /** @internal */
  get(key: string): Kept | undefined {
    return this.kept.get(key);
  }

  /** @internal */
  set(key: string, value: Kept): void {
    this.kept.set(key, value);
  }
}

type RequestOptions = { method: string; url: string; headers: Record<string, string | undefined> };
type Endpoint = { parse(o: object): { method: string; url: string; headers: Record<string, unknown> } };
interface HookableOctokit {
  hook: {
    wrap(
      name: "request",
      fn: (request: (o: RequestOptions) => Promise<Kept["response"]>, o: RequestOptions) => Promise<unknown>,
    ): void;
  };
  request: { endpoint: Endpoint };
}

/**
 * A full page of a list is not kept: an item added on the next page leaves this page's body (and
 * ETag) unchanged while its `Link` header changes, and a 304 would hide that the list grew.
 */
function fullPage(url: string, data: unknown): boolean {
  if (!Array.isArray(data)) return false;
  const perPage = Number(new URL(url).searchParams.get("per_page") ?? 30);
  return data.length >= perPage;
}

/** Who a client acts as: responses are never shared between installations, tokens or hosts. */
function scopeOf(options: { baseUrl?: string; auth?: unknown }): string {
  const host = options.baseUrl ?? "https://api.github.com";
  const auth = options.auth;
  if (typeof auth === "string") return `${host} token:${createHash("sha256").update(auth).digest("hex")}`;
  const inst = (auth as { installationId?: unknown } | undefined)?.installationId;
  if (inst !== undefined) return `${host} installation:${String(inst)}`;
  const appId = (auth as { appId?: unknown } | undefined)?.appId;
  return `${host} app:${String(appId ?? "anonymous")}`;
}

/**
 * An Octokit plugin: GET requests carry `If-None-Match` with the ETag last seen for the same URL
 * and identity, and a 304 (which Octokit raises as a RequestError) is answered from the kept
 * response. Pass `conditionalCache` in the Octokit options; without it the plugin does nothing.
 */
export function conditionalRequests(octokit: unknown, options: object): object {
  const { conditionalCache: cache } = options as { conditionalCache?: ConditionalCache };
  if (!cache) return {};
  const o = octokit as HookableOctokit;
  const scope = scopeOf(options as { baseUrl?: string; auth?: unknown });
  o.hook.wrap("request", async (request, opts) => {
    if (opts.method !== "GET") return request(opts);
    const parsed = o.request.endpoint.parse(opts);
    const key = `${scope} ${String(parsed.headers.accept ?? "")} ${parsed.url}`;
    const kept = cache.get(key);
    try {
      // The hook chain is bound to this options object (before-after-hook ignores new arguments):
      // set the header on it, as Octokit's own plugins do.
      if (kept) opts.headers["if-none-match"] = kept.etag;
      const response = await request(opts);
      cache.stats.fetched++;
      const etag = response.headers.etag;
      if (typeof etag === "string" && !fullPage(parsed.url, response.data))
        cache.set(key, { etag, response });
      return response;
    } catch (e) {
      if (kept && (e as { status?: number }).status === 304) {
        cache.stats.notModified++;
        return kept.response;
      }
      throw e;
    }
  });
  return {};
}
