import type { IncomingMessage, ServerResponse } from "node:http";
import type { Logger } from "probot";
import type { BotMetrics } from "./bot-metrics.js";
import { checkPayload, type PayloadCheck } from "./check-payload.js";
import { readBody } from "./read-body.js";
import { verifySignature } from "./verify-signature.js";
import type { WorkQueue } from "./work-queue.js";

/** GitHub caps webhook payloads at 25 MB; nothing bigger is a real delivery. */
export const MAX_DELIVERY_BYTES = 25 * 1024 * 1024;

/** Codes of refused deliveries, in the JSON body `{ok: false, code, message}`. */
export type DeliveryErrorCode =
  | "webhook.method"
  | "webhook.bad-header"
  | "webhook.too-large"
  | "webhook.bad-signature"
  | "webhook.invalid-json"
  | "webhook.invalid-payload"
  | "webhook.queue-full"
  | "webhook.draining"
  | "webhook.installation-unavailable";

/** A verified, checked delivery to be handled. */
export interface AcceptedDelivery {
  id: string;
  name: string;
  payload: Record<string, unknown>;
  check: Extract<PayloadCheck, { handled: true }>;
}

/** What the front door needs. */
export interface ReceiveDeps {
  secret: string;
  queue: WorkQueue;
  metrics: BotMetrics;
  log: Logger;
  /** Whether a delivery id was handled already (a redelivery of handled work is a no-op). */
  handled(id: string): boolean;
  /** True once shutdown began: new deliveries are refused with 503 (GitHub shows them for redelivery). */
  draining(): boolean;
  /** The work of an accepted delivery; it reports its own failures. */
  work(delivery: AcceptedDelivery): () => Promise<void>;
  /**
   * Checks, before the delivery is answered, that its work can be done at all (the App can act for
   * its installation); a reason refuses it with 503, so GitHub records it as failed and it can be
   * redelivered instead of being acknowledged and then dropped.
   */
  admit?(delivery: AcceptedDelivery): Promise<string | undefined>;
  /** What kind of work a delivery is (its work-queue tag). */
  tagOf?(delivery: AcceptedDelivery): string | undefined;
  maxBytes?: number;
}

const DELIVERY_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * Answers one webhook delivery without waiting for its work: method and headers, size (413 before
 * buffering more than the cap), signature on the raw bytes (401), JSON and payload shape (400 with a
 * reason), duplicate delivery ids (200), an installation the App cannot act for (503), then queued
 * (202) or refused when the queue is full or the bot drains (503). Never logs a payload or a signature.
 */
export async function receiveDelivery(
  deps: ReceiveDeps,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const header = (name: string) => {
    const v = req.headers[name];
    return typeof v === "string" ? v : undefined;
  };
  const id = header("x-github-delivery");
  const name = header("x-github-event");
  const log = deps.log.child({ deliveryId: id && DELIVERY_ID.test(id) ? id : undefined, event: name });
  const refuse = (status: number, code: DeliveryErrorCode, message: string) => {
    deps.metrics.rejected.inc({ status: String(status), code });
    log.warn({ status, code }, `jitops: delivery refused: ${message}`);
    reply(res, status, { ok: false, code, message });
  };

  if (req.method !== "POST")
    return refuse(405, "webhook.method", `${req.method} is not accepted; GitHub POSTs deliveries`);
  if (deps.draining()) return refuse(503, "webhook.draining", "the bot is shutting down; redeliver it later");
  const signature = header("x-hub-signature-256");
  const missing = [
    ["X-GitHub-Event", name],
    ["X-GitHub-Delivery", id],
    ["X-Hub-Signature-256", signature],
  ].filter(([, v]) => !v);
  if (missing.length > 0)
    return refuse(
      400,
      "webhook.bad-header",
      `missing ${missing.map(([k]) => k).join(", ")}; GitHub sends every delivery with them`,
    );
  if (!DELIVERY_ID.test(id!))
    return refuse(
      400,
      "webhook.bad-header",
      "X-GitHub-Delivery must be 1 to 128 letters, digits, '.', '_', ':' or '-'",
    );

  const max = deps.maxBytes ?? MAX_DELIVERY_BYTES;
  const read = await readBody(req, max);
  if (!read.ok) {
    if (read.reason === "aborted") return;
    // No `Connection: close`: the server would then shut the socket as soon as the 413 is written,
    // and a client still sending gets EPIPE before it reads the answer. The rest is drained, bounded.
    discardRest(req);
    refuse(413, "webhook.too-large", `the body is over ${max} bytes (GitHub caps payloads at 25 MB)`);
    return;
  }
  if (!verifySignature(deps.secret, read.body, signature!))
    return refuse(
      401,
      "webhook.bad-signature",
      "X-Hub-Signature-256 does not match the body under the webhook secret",
    );

  let payload: unknown;
  try {
    payload = JSON.parse(read.body.toString("utf8"));
  } catch {
    return refuse(
      400,
      "webhook.invalid-json",
      "the body is not JSON (the webhook's content type must be application/json)",
    );
  }
  const check = checkPayload(name!, payload);
  if (!check.ok) return refuse(400, "webhook.invalid-payload", check.reason);
  if (!check.handled) {
    deps.metrics.deliveries.inc({ event: name!, outcome: "ignored" });
    return reply(res, 200, { ok: true, status: "ignored" });
  }
  if (deps.handled(id!) || deps.queue.has(id!)) {
    deps.metrics.deliveries.inc({ event: name!, outcome: "duplicate" });
    log.info("jitops: delivery already handled or queued; ignoring the redelivery");
    return reply(res, 200, { ok: true, status: "duplicate" });
  }
  const delivery: AcceptedDelivery = {
    id: id!,
    name: name!,
    payload: payload as Record<string, unknown>,
    check,
  };
  const unavailable = await deps.admit?.(delivery);
  if (unavailable !== undefined)
    return refuse(
      503,
      "webhook.installation-unavailable",
      `${unavailable}; redeliver it once the App can act there`,
    );
  const tag = deps.tagOf?.(delivery);
  const offered = deps.queue.offer({
    key: check.key,
    id: id!,
    bytes: read.body.length,
    run: deps.work(delivery),
    ...(tag ? { tag } : {}),
  });
  if (!offered.ok) {
    if (offered.reason === "duplicate") return reply(res, 200, { ok: true, status: "duplicate" });
    if (offered.reason === "closed")
      return refuse(503, "webhook.draining", "the bot is shutting down; redeliver it later");
    const why =
      offered.reason === "key-full"
        ? `too many deliveries for ${check.key} are waiting`
        : "the work queue is full";
    return refuse(
      503,
      "webhook.queue-full",
      `${why}; redeliver it later (the reconcile pass also catches up)`,
    );
  }
  deps.metrics.deliveryAccepted(id!);
  deps.metrics.deliveries.inc({ event: name!, outcome: "queued" });
  reply(res, 202, { ok: true, status: "queued" });
}

/** Bytes of a refused body still read (and dropped) so the client sees the 413 before the connection closes. */
const DISCARD_BYTES = 8 * 1024 * 1024;

/**
 * Reads and drops what a refused client still sends, up to DISCARD_BYTES or 5 s, then cuts the
 * connection: closing at once would reset it before the client reads the 413, while reading on
 * without a bound would let it keep the bot busy.
 */
function discardRest(req: IncomingMessage): void {
  let dropped = 0;
  const cut = () => req.socket.destroy();
  // Long enough for a busy client to read the 413 between its writes; the bytes bound it anyway.
  const timer = setTimeout(cut, 5000).unref();
  req.on("data", (chunk: Buffer) => {
    dropped += chunk.length;
    if (dropped > DISCARD_BYTES) {
      clearTimeout(timer);
      cut();
    }
  });
  req.on("end", () => clearTimeout(timer));
  req.resume();
}

/** Writes a small JSON answer. */
export function reply(res: ServerResponse, status: number, body: object): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    "content-type": "application/json; charset=utf-8",
    "content-length": Buffer.byteLength(text),
  });
  res.end(text);
}
