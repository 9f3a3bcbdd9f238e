import { NOTIFICATION_CODES } from "../core/events/notification-codes.js";
import { eventId } from "../core/events/build-events.js";
import {
  LIFECYCLE_SCHEMA_VERSION,
  type NotificationAudience,
  type NotificationEvent,
} from "../core/events/lifecycle-event.js";
import {
  routeNotification,
  type Delivery,
  type NotifiableEvent,
  type NotifySettings,
} from "../core/events/notification-routes.js";
import { buildNotice, type Notice } from "../core/events/notice.js";
import { SendFailed } from "./send-failed.js";
import type { Subscriber } from "./lifecycle-bus.js";

/** Something that sends one delivery and says how many calls it took (Slack, Teams). */
export interface ChatSender {
  send(d: Delivery, notice: Notice): Promise<number>;
}

/** What the notification subscriber needs, as ports. */
export interface NotifyDeps {
  /** The notification settings of a repository's policy (default branch); undefined: none configured. */
  settings(repository: string): Promise<NotifySettings | undefined>;
  /** Slack, when SLACK_BOT_TOKEN is set. */
  slack?: ChatSender;
  /** Teams Workflows webhooks (their URLs come from the environment). */
  teams: ChatSender;
  /** A pull request's review page, e.g. https://github.com/OWNER/REPO/pull/N/files (or the GHES host). */
  reviewUrl(repository: string, pr: number): string;
  /** Where each send's outcome goes: the lifecycle bus, so the audit stream records it. */
  emit(event: NotificationEvent): void;
  now(): Date;
}

/**
 * Tells people about access where they work: approvers in their channel (a Slack thread per pull
 * request), requesters directly, security on every break-glass. A subscriber of the lifecycle bus,
 * so a failing chat service never delays a decision, grant or revoke; each send is retried with
 * back-off and its outcome is a notification-sent or notification-failed event. Handles no
 * notification events (no loop).
 */
export function notifySubscriber(deps: NotifyDeps): Subscriber {
  return {
    name: "notify",
    async handle(event) {
      if (event.type === "notification-sent" || event.type === "notification-failed") return;
      await notifyOf(event, deps);
    },
  };
}

/** Sends every message one event calls for (certification events too, once they exist). */
export async function notifyOf(event: NotifiableEvent, deps: NotifyDeps): Promise<void> {
  const settings = await deps.settings(event.repository);
  if (!settings) return;
  const { deliveries, problems } = routeNotification(event, settings);
  const outcome = (
    d: { service: "slack" | "teams"; audience: NotificationAudience; destination: string },
    attempts: number,
    failure?: { code: string; detail: string },
  ) => {
    const type = failure ? "notification-failed" : "notification-sent";
    const pr = (event as { pr?: number }).pr;
    deps.emit({
      schemaVersion: LIFECYCLE_SCHEMA_VERSION,
      id: eventId(type, event.repository, event.id, d.service, d.audience, d.destination),
      type,
      time: deps.now().toISOString(),
      repository: event.repository,
      about: { id: event.id, type: event.type },
      ...(pr !== undefined ? { pr } : {}),
      service: d.service,
      audience: d.audience,
      destination: d.destination,
      attempts,
      ...(failure ?? {}),
    });
  };
  for (const p of problems) outcome(p, 0, { code: p.code, detail: p.detail });
  for (const d of deliveries) {
    const notice = buildNotice(event, settings, deps.reviewUrl, d.requester);
    const sender = d.service === "slack" ? deps.slack : deps.teams;
    if (!sender) {
      outcome(d, 0, {
        code: NOTIFICATION_CODES.slackTokenUnset,
        detail: "policy names a Slack destination but SLACK_BOT_TOKEN is not set",
      });
      continue;
    }
    try {
      outcome(d, await sender.send(d, notice));
    } catch (e) {
      outcome(d, e instanceof SendFailed ? e.attempts : 0, failureOf(d, e));
    }
  }
}

function failureOf(d: Delivery, e: unknown): { code: string; detail: string } {
  const configured = (e as { code?: unknown }).code;
  if (!(e instanceof SendFailed) && typeof configured === "string" && configured.startsWith("notification."))
    return { code: configured, detail: (e as Error).message };
  const cause = e instanceof SendFailed ? e.cause : e;
  const slackError = (cause as { data?: { error?: string } }).data?.error;
  const detail = slackError ? `Slack answered ${slackError}` : (cause as Error).message;
  if (e instanceof SendFailed && e.gaveUp) return { code: NOTIFICATION_CODES.gaveUp, detail };
  return {
    code: d.service === "slack" ? NOTIFICATION_CODES.slackRefused : NOTIFICATION_CODES.teamsRefused,
    detail,
  };
}
