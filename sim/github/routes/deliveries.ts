import { SimRequestError } from "../errors.js";
import { route, type ApiRequest, type Route } from "../router.js";
import type { Delivery, WebhookDispatcher } from "../webhooks.js";

/** GitHub's default and maximum page sizes for the deliveries list. */
const DEFAULT_PER_PAGE = 30;
const MAX_PER_PAGE = 100;

/** One attempt as `GET /app/hook/deliveries` lists it (`hook-delivery-item`). */
function deliveryItemShape(d: Delivery) {
  const payload = JSON.parse(d.body) as { installation?: { id?: number }; repository?: { id?: number } };
  const ok = d.status === "delivered";
  const status = ok
    ? "OK"
    : d.statusCode
      ? `Invalid HTTP Response: ${d.statusCode}`
      : d.status === "dropped"
        ? "failed to connect to host"
        : (d.error ?? "failed to connect to host");
  return {
    id: d.attemptId,
    guid: d.id,
    delivered_at: d.deliveredAt,
    redelivery: d.redelivery,
    duration: (d.durationMs ?? 0) / 1000,
    status,
    status_code: d.statusCode ?? 0,
    event: d.event,
    action: d.action,
    installation_id: payload.installation?.id ?? null,
    repository_id: payload.repository?.id ?? null,
    throttled_at: null,
  };
}

/** The page size a list request asks for, or 422. */
function perPage(req: ApiRequest): number {
  const raw = req.query.get("per_page");
  const n = raw === null ? DEFAULT_PER_PAGE : Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new SimRequestError(422, "Invalid per_page");
  return Math.min(MAX_PER_PAGE, n);
}

/**
 * The App's webhook deliveries (App JWT): newest attempt first, cursor pagination as GitHub does it
 * (the cursor here is the last attempt id of the previous page), and redelivery of an attempt.
 */
export function deliveryRoutes(hooks: WebhookDispatcher): Route[] {
  return [
    route("GET", "/app/hook/deliveries", (req) => {
      const attempted = hooks
        .deliveries()
        .filter((d) => d.deliveredAt !== null)
        .sort((a, b) => b.attemptId - a.attemptId);
      const cursor = req.query.get("cursor");
      const after = cursor === null ? Infinity : Number(cursor.replace(/^v1_/, ""));
      if (Number.isNaN(after)) throw new SimRequestError(400, "Invalid cursor");
      const older = attempted.filter((d) => d.attemptId < after);
      const per = perPage(req);
      const page = older.slice(0, per);
      const headers: Record<string, string> = {};
      if (older.length > per) {
        const u = new URL(req.url);
        u.searchParams.set("per_page", String(per));
        u.searchParams.set("cursor", `v1_${page.at(-1)!.attemptId}`);
        headers.link = `<${u.toString()}>; rel="next"`;
      }
      return { status: 200, body: page.map(deliveryItemShape), headers };
    }),
    route("POST", "/app/hook/deliveries/{delivery_id}/attempts", (req) => {
      const attempt = hooks.attempt(Number(req.params.delivery_id));
      if (!attempt) throw new SimRequestError(404, "Not Found");
      hooks.redeliver(attempt.id);
      return { status: 202, body: {} };
    }),
  ];
}
