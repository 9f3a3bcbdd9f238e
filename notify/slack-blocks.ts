import type { Notice } from "../core/events/notice.js";

/** Slack's message metadata type of a request's first message, which the thread is found by. */
export const THREAD_EVENT_TYPE = "jitops_access_request";
/** Slack's message metadata type of a reply, which says which lifecycle event it was for. */
export const REPLY_EVENT_TYPE = "jitops_lifecycle_event";

/** A Slack message as jitops posts it: fallback text, Block Kit blocks, metadata. */
export interface SlackMessage {
  text: string;
  blocks: unknown[];
  metadata?: { event_type: string; event_payload: Record<string, unknown> };
}

/** Escapes text for Slack's mrkdwn (`&`, `<`, `>` are control characters). */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** A time every reader sees in their own zone (`<!date^…>`), with UTC as the fallback text. */
export function slackDate(iso: string): string {
  const unix = Math.floor(Date.parse(iso) / 1000);
  const fallback = new Date(unix * 1000).toISOString().replace(/\.000Z$/, "Z");
  return `<!date^${unix}^{date_short_pretty} {time}|${fallback}>`;
}

/**
 * The blocks of a notice: what happened, who, what, where, until when, and a link button to the pull
 * request's review page. No approve button: approval is a code review under branch protection and
 * CODEOWNERS, with GitHub's audit trail, and a chat click would bypass all three.
 */
export function noticeMessage(n: Notice, mention?: string): SlackMessage {
  const fields: string[] = [];
  if (n.who) fields.push(`*Who*\n${mention ? `<@${mention}> ` : ""}${escapeMrkdwn(n.who)}`);
  if (n.what) fields.push(`*What*\n${escapeMrkdwn(n.what)}`);
  if (n.where.length) fields.push(`*Where*\n${n.where.map(escapeMrkdwn).join("\n")}`);
  if (n.until) fields.push(`*Until*\n${slackDate(n.until)}`);
  else if (n.atMost) fields.push(`*Until*\nat most ${escapeMrkdwn(n.atMost)} after merge`);
  const blocks: unknown[] = [
    { type: "section", text: { type: "mrkdwn", text: `*${escapeMrkdwn(n.title)}*` } },
  ];
  if (fields.length)
    blocks.push({ type: "section", fields: fields.map((text) => ({ type: "mrkdwn", text })) });
  blocks.push({ type: "context", elements: [{ type: "mrkdwn", text: escapeMrkdwn(n.status) }] });
  if (n.reviewUrl)
    blocks.push({
      type: "actions",
      elements: [
        {
          type: "button",
          text: { type: "plain_text", text: "Review on GitHub" },
          url: n.reviewUrl,
          action_id: "jitops-review",
        },
      ],
    });
  return { text: `${n.title}: ${n.status}`, blocks };
}

/** The state a request's first message keeps in its metadata, so any replica can re-render it. */
export type ThreadState = Pick<
  Notice,
  "title" | "status" | "who" | "what" | "until" | "atMost" | "reviewUrl"
> & {
  key: string;
  where: string[];
};

/** The key of a pull request's thread: one per repository and pull request. */
export function threadKey(repository: string, pr: number): string {
  return `${repository}#${pr}`;
}

/** The next state of a thread's first message: what the new notice says, over what it said before. */
export function nextThreadState(
  previous: Partial<ThreadState> | undefined,
  n: Notice,
  key: string,
): ThreadState {
  const p = previous ?? {};
  const pick = <K extends keyof ThreadState>(k: K, v: ThreadState[K] | undefined) =>
    v !== undefined ? { [k]: v } : p[k] !== undefined ? { [k]: p[k] } : {};
  return {
    key,
    title: n.title,
    status: n.status,
    // An event that names no entitlement (a grant, an expiry) says less than the request did: keep that.
    ...(n.where.length ? pick("who", n.who) : pick("who", p.who ?? n.who)),
    ...(n.where.length ? pick("what", n.what) : pick("what", p.what ?? n.what)),
    where: n.where.length ? n.where : (p.where ?? []),
    ...pick("until", n.until),
    ...(n.until === undefined && p.until === undefined ? pick("atMost", n.atMost) : {}),
    ...pick("reviewUrl", n.reviewUrl),
  };
}

/** The first message of a thread, from its state, carrying the state as metadata. */
export function threadRootMessage(state: ThreadState, mention?: string): SlackMessage {
  const notice: Notice = { about: { id: "", type: "" }, repository: "", ...state };
  return {
    ...noticeMessage(notice, mention),
    // Slack metadata values are kept flat (strings), so the grants travel as one line each.
    metadata: { event_type: THREAD_EVENT_TYPE, event_payload: { ...state, where: state.where.join("\n") } },
  };
}

/** The state a first message carries, read back from its metadata. */
export function readThreadState(payload: Record<string, unknown>): Partial<ThreadState> {
  const str = (k: string) => (typeof payload[k] === "string" ? { [k]: payload[k] } : {});
  const where = typeof payload.where === "string" && payload.where ? payload.where.split("\n") : [];
  return {
    ...str("key"),
    ...str("title"),
    ...str("status"),
    ...str("who"),
    ...str("what"),
    ...str("until"),
    ...str("atMost"),
    ...str("reviewUrl"),
    where,
  } as Partial<ThreadState>;
}
