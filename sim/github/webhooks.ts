import { randomUUID } from "node:crypto";
import { sign } from "@octokit/webhooks-methods";

/** Where webhooks go: the app's webhook URL and secret. */
export interface WebhookTarget {
  url: string;
  secret: string;
  /** Resolves once the app finished the work of the deliveries it answered (an app that answers on queueing). */
  idle?: () => Promise<void>;
}

/** One delivery attempt, as the app settings page lists them. */
export interface Delivery {
  /** `X-GitHub-Delivery`; a redelivery repeats the original id. */
  id: string;
  event: string;
  action: string | null;
  /** The exact raw body that was (or would have been) signed and sent. */
  body: string;
  status: "queued" | "delivered" | "failed" | "dropped" | "no-target";
  statusCode: number | null;
  error: string | null;
  redelivery: boolean;
  queuedAt: string;
  /** Numeric id of this attempt, as `GET /app/hook/deliveries` lists it (the GUID is `id`). */
  attemptId: number;
  /** When the attempt got its answer (or failed); null while queued. */
  deliveredAt: string | null;
  durationMs: number | null;
}

/** GitHub waits this long for an answer before it calls a delivery failed. */
const DELIVERY_TIMEOUT_MS = 10_000;

/** Signs and posts webhooks one at a time, in order, and keeps a log of every delivery. */
export class WebhookDispatcher {
  private target: WebhookTarget | null = null;
  private queue: Promise<void> = Promise.resolve();
  private readonly drops: (string | null)[] = [];
  private readonly log: Delivery[] = [];
  private attempts = 0;

  constructor(
    private readonly hook: { hookId: number; appId: number },
    private readonly now: () => string,
  ) {}

  /** Registers (or replaces) the app's webhook URL and secret. */
  setTarget(target: WebhookTarget | null): void {
    this.target = target;
  }

  /** The registered target, if any. */
  getTarget(): WebhookTarget | null {
    return this.target;
  }

  /** Drops the next delivery of `event` (`"push"` or `"pull_request.opened"`; any event when omitted). */
  dropNext(event?: string): void {
    this.drops.push(event ?? null);
  }

  /** Every delivery so far, oldest first. */
  deliveries(): Delivery[] {
    return this.log.map((d) => ({ ...d }));
  }

  /** Queues an event for delivery and returns its log record. */
  deliver(event: string, payload: object): Delivery {
    const named = (payload as { action?: unknown }).action;
    const action = typeof named === "string" ? named : null;
    const record: Delivery = {
      id: randomUUID(),
      event,
      action,
      body: JSON.stringify(payload),
      status: "queued",
      statusCode: null,
      error: null,
      redelivery: false,
      queuedAt: this.now(),
      attemptId: ++this.attempts,
      deliveredAt: null,
      durationMs: null,
    };
    this.log.push(record);
    const drop = this.drops.findIndex((d) => d === null || d === event || d === `${event}.${action}`);
    if (drop !== -1) {
      this.drops.splice(drop, 1);
      record.status = "dropped";
      record.deliveredAt = this.now();
      record.durationMs = 0;
      return { ...record };
    }
    this.enqueue(record);
    return { ...record };
  }

  /** The attempt with this numeric id (`GET /app/hook/deliveries`' `id`), if any. */
  attempt(attemptId: number): Delivery | undefined {
    const d = this.log.find((x) => x.attemptId === attemptId);
    return d ? { ...d } : undefined;
  }

  /** Sends an earlier delivery again, with the same id and the same body. */
  redeliver(id: string): Delivery {
    const original = this.log.find((d) => d.id === id);
    if (!original)
      throw new Error(`sim: no delivery with id ${id}; known ids: ${this.log.map((d) => d.id).join(", ")}`);
    const record: Delivery = {
      ...original,
      status: "queued",
      statusCode: null,
      error: null,
      redelivery: true,
      queuedAt: this.now(),
      attemptId: ++this.attempts,
      deliveredAt: null,
      durationMs: null,
    };
    this.log.push(record);
    this.enqueue(record);
    return { ...record };
  }

  /** Resolves once every queued delivery (including ones queued meanwhile) got its answer. */
  async settle(): Promise<void> {
    let current: Promise<void>;
    do {
      current = this.queue;
      await current;
      await this.target?.idle?.();
      // Let handlers that answered queue follow-up deliveries before checking again.
      await new Promise((resolve) => setImmediate(resolve));
    } while (current !== this.queue);
  }

  private enqueue(record: Delivery): void {
    this.queue = this.queue.then(() => this.send(record));
  }

  private async send(record: Delivery): Promise<void> {
    const target = this.target;
    if (!target) {
      record.status = "no-target";
      return;
    }
    const started = Date.now();
    try {
      const res = await fetch(target.url, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          "user-agent": "GitHub-Hookshot/sim",
          "x-github-event": record.event,
          "x-github-delivery": record.id,
          "x-github-hook-id": String(this.hook.hookId),
          "x-github-hook-installation-target-id": String(this.hook.appId),
          "x-github-hook-installation-target-type": "integration",
          "x-hub-signature-256": await sign(target.secret, record.body),
        },
        body: record.body,
        signal: AbortSignal.timeout(DELIVERY_TIMEOUT_MS),
      });
      await res.arrayBuffer();
      record.statusCode = res.status;
      record.status = res.ok ? "delivered" : "failed";
    } catch (err) {
      record.status = "failed";
      record.error = err instanceof Error ? err.message : String(err);
    } finally {
      record.deliveredAt = this.now();
      record.durationMs = Date.now() - started;
    }
  }
}
