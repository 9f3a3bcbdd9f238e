import { NOTIFICATION_CODES } from "../core/events/notification-codes.js";
import { teamsWebhookVariable } from "../core/events/check-notifications.js";
import type { Delivery } from "../core/events/notification-routes.js";
import type { Notice } from "../core/events/notice.js";
import {
  RETRY_POLICY,
  REAL_WAITS,
  retrySend,
  type FailureKind,
  type RetryPolicy,
  type Waits,
} from "./retry-send.js";
import { teamsMessage } from "./teams-card.js";
import type { Env } from "../core/env.js";

/** How the Teams notifier finds webhook URLs and retries. */
export interface TeamsNotifierOptions {
  /** The environment: a webhook named `name` has its URL in JITOPS_TEAMS_WEBHOOK_<NAME>. */
  env: Env;
  retry?: RetryPolicy;
  waits?: Waits;
  fetch?: typeof fetch;
  timeoutMs?: number;
}

/** A webhook answered with a status; the URL (a secret: it carries the signature) is never kept. */
export class TeamsHttpError extends Error {
  constructor(
    readonly status: number,
    readonly retryAfterMs: number | undefined,
  ) {
    super(`the Teams webhook answered HTTP ${status}`);
  }
}

/** A notification that cannot be sent as configured, with its code. */
export class NotifyConfigError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** Whether a webhook failure is worth retrying: 429 (after Retry-After), 5xx, and no answer. */
export function classifyTeamsError(e: unknown): FailureKind {
  if (e instanceof TeamsHttpError)
    return e.status === 429 || e.status >= 500
      ? { retry: true, ...(e.retryAfterMs !== undefined ? { retryAfterMs: e.retryAfterMs } : {}) }
      : { retry: false };
  return { retry: true };
}

/** Posts Adaptive Cards to Teams Workflows webhooks named in policy. */
export class TeamsNotifier {
  private readonly retry: RetryPolicy;
  private readonly waits: Waits;
  private readonly fetch: typeof fetch;

  constructor(private readonly o: TeamsNotifierOptions) {
    this.retry = o.retry ?? RETRY_POLICY;
    this.waits = o.waits ?? REAL_WAITS;
    this.fetch = o.fetch ?? globalThis.fetch;
  }

  /** Sends one card; resolves to the calls it took, or throws SendFailed (from retrySend) or NotifyConfigError. */
  async send(d: Delivery, notice: Notice): Promise<number> {
    const variable = teamsWebhookVariable(d.destination);
    const url = this.o.env[variable];
    if (!url)
      throw new NotifyConfigError(
        NOTIFICATION_CODES.teamsWebhookUnset,
        `teams webhook ${d.destination} has no URL: set ${variable} to the URL of its Workflows trigger`,
      );
    const body = JSON.stringify(teamsMessage(notice, d.requester));
    const { attempts } = await retrySend(
      () => this.post(url, body),
      classifyTeamsError,
      this.retry,
      this.waits,
    );
    return attempts;
  }

  private async post(url: string, body: string): Promise<void> {
    // A controller and a timer, not AbortSignal.timeout, which Node may collect mid-request.
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), this.o.timeoutMs ?? 10_000);
    const res = await this.fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body,
      redirect: "error",
      signal: controller.signal,
    })
      .catch((e: unknown) => {
        // fetch's error may quote the URL; the URL is a secret, so only the cause's kind is kept.
        throw new Error(`the Teams webhook could not be reached (${(e as Error).name})`);
      })
      .finally(() => clearTimeout(timer));
    await res.arrayBuffer().catch(() => undefined);
    if (res.ok) return;
    const after = Number.parseInt(res.headers.get("retry-after") ?? "", 10);
    throw new TeamsHttpError(res.status, Number.isNaN(after) ? undefined : after * 1000);
  }
}
