import type { ApiReply, ApiRequest } from "./router.js";
import { SimRequestError } from "./errors.js";

/** GitHub's default and maximum page sizes. */
const DEFAULT_PER_PAGE = 30;
const MAX_PER_PAGE = 100;

/** One page of `items` and the `Link` header GitHub would send with it. */
export function paginate<T>(req: ApiRequest, items: readonly T[]): { items: T[]; link: string | undefined } {
  const perRaw = req.query.get("per_page");
  const pageRaw = req.query.get("page");
  const perPage = perRaw === null ? DEFAULT_PER_PAGE : Math.min(MAX_PER_PAGE, Number(perRaw));
  const page = pageRaw === null ? 1 : Number(pageRaw);
  if (!Number.isInteger(perPage) || perPage < 1 || !Number.isInteger(page) || page < 1)
    throw new SimRequestError(422, "Invalid pagination: per_page must be 1-100 and page a positive integer");
  const last = Math.max(1, Math.ceil(items.length / perPage));
  const at = (n: number, rel: string): string => {
    const u = new URL(req.url);
    u.searchParams.set("per_page", String(perPage));
    u.searchParams.set("page", String(n));
    return `<${u.toString()}>; rel="${rel}"`;
  };
  const links: string[] = [];
  if (page > 1) links.push(at(page - 1, "prev"));
  if (page < last) links.push(at(page + 1, "next"), at(last, "last"));
  if (page > 1) links.push(at(1, "first"));
  return {
    items: items.slice((page - 1) * perPage, page * perPage),
    link: links.length > 0 ? links.join(", ") : undefined,
  };
}

/** A 200 answer with one page of a list and its `Link` header. */
export function listReply<T>(req: ApiRequest, items: readonly T[]): ApiReply {
  const page = paginate(req, items);
  return { status: 200, body: page.items, ...(page.link ? { headers: { link: page.link } } : {}) };
}
