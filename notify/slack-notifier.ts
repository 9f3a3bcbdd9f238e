import { SendFailed } from "../app/send-failed.js";
import { LogLevel, WebClient, type Logger } from "@slack/web-api";
import type { Delivery } from "../core/events/notification-routes.js";
import type { Notice } from "../core/events/notice.js";
import {
  ChannelPacer,
  RETRY_POLICY,
  REAL_WAITS,
  retrySend,
  type FailureKind,
  type RetryPolicy,
  type Waits,
} from "./retry-send.js";
import {
  noticeMessage,
  readThreadState,
  REPLY_EVENT_TYPE,
  THREAD_EVENT_TYPE,
  nextThreadState,
  threadKey,
  threadRootMessage,
  type SlackMessage,
  type ThreadState,
} from "./slack-blocks.js";

/** How the Slack notifier reaches Slack and paces itself. */
export interface SlackNotifierOptions {
  /** The bot token (`SLACK_BOT_TOKEN`); scopes chat:write, channels:read, groups:read, channels:history, groups:history. */
  token: string;
  /** Web API base URL, ending in `/` (default https://slack.com/api/; the embedded simulator in demos and tests). */
  apiUrl?: string;
  retry?: RetryPolicy;
  waits?: Waits;
  /** Least time between two messages to one channel (Slack: about one per second). */
  intervalMs?: number;
  /** How many pages of 200 messages of a channel are searched for a request's thread. */
  historyPages?: number;
  timeoutMs?: number;
}

/** Slack's answer to a call that did not succeed, as the client reports it. */
interface SlackCallError {
  code?: string;
  retryAfter?: number;
  statusCode?: number;
  data?: { error?: string };
}

// Platform errors Slack documents as temporary: retried like a 5xx.
const TRANSIENT = new Set([
  "internal_error",
  "fatal_error",
  "service_unavailable",
  "request_timeout",
  "ratelimited",
]);

/** Whether a Slack call failure is worth retrying: 429 (after its Retry-After), 5xx, no answer, temporary errors. */
export function classifySlackError(e: unknown): FailureKind {
  const err = e as SlackCallError;
  if (err.code === "slack_webapi_rate_limited_error")
    return { retry: true, retryAfterMs: (err.retryAfter ?? 1) * 1000 };
  if (err.code === "slack_webapi_http_error") return { retry: (err.statusCode ?? 0) >= 500 };
  if (err.code === "slack_webapi_request_error") return { retry: true };
  if (err.code === "slack_webapi_platform_error") return { retry: TRANSIENT.has(err.data?.error ?? "") };
  return { retry: false };
}

const SILENT: Logger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  setLevel: () => undefined,
  getLevel: () => LogLevel.ERROR,
  setName: () => undefined,
};

/** The Web API client: no retries or rate-limit waits of its own (ours are explicit), silent (it would log bodies). */
export function createSlackClient(
  o: Pick<SlackNotifierOptions, "token" | "apiUrl" | "timeoutMs">,
): WebClient {
  return new WebClient(o.token, {
    ...(o.apiUrl ? { slackApiUrl: o.apiUrl } : {}),
    // The client would retry 10 times over 30 minutes and wait out a 429 in real time, pausing every
    // channel: retrySend does both, per call, with a bounded policy and waits a test can fake.
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    timeout: o.timeoutMs ?? 10_000,
    logger: SILENT,
  });
}

/** Posts notices to Slack: a thread per pull request in its approvers' channel, plain messages elsewhere. */
export class SlackNotifier {
  private readonly client: WebClient;
  private readonly retry: RetryPolicy;
  private readonly waits: Waits;
  private readonly pacer: ChannelPacer;
  private readonly historyPages: number;
  /** `#name` -> channel id, per instance (bounded by the destinations policy names). */
  private readonly channelIds = new Map<string, string>();

  constructor(o: SlackNotifierOptions) {
    this.client = createSlackClient(o);
    this.retry = o.retry ?? RETRY_POLICY;
    this.waits = o.waits ?? REAL_WAITS;
    this.pacer = new ChannelPacer(o.intervalMs ?? 1000, this.waits);
    this.historyPages = o.historyPages ?? 5;
  }

  /** Sends one delivery; resolves to the calls it took, or throws SendFailed. */
  async send(d: Delivery, notice: Notice): Promise<number> {
    const t: Tally = { calls: 0 };
    const threaded = (d.audience === "thread" || d.audience === "approvers") && notice.pr !== undefined;
    try {
      if (threaded) await this.toThread(t, d, notice);
      else await this.post(t, d.destination, noticeMessage(notice, d.mention));
    } catch (e) {
      if (e instanceof SendFailed) throw new SendFailed(t.calls, e.gaveUp, e.cause);
      throw e;
    }
    return t.calls;
  }

  /**
   * The thread of a pull request is found in Slack itself: its first message carries metadata
   * (`jitops_access_request`, key `owner/repo#N`) and is looked up in the channel's history. Git,
   * GitHub and the clouds hold all of jitops' state, and a chat thread is no exception: no database,
   * no comment the bot must own, and every replica or restart finds the same thread. Were two
   * threads ever started at once, the oldest wins for everyone. Replies carry the event id, so a
   * repeated event (redelivery, another replica) is not posted twice.
   */
  private async toThread(t: Tally, d: Delivery, notice: Notice): Promise<void> {
    const key = threadKey(notice.repository, notice.pr!);
    let root: { channel: string; ts: string; state: Partial<ThreadState> } | undefined;
    for (const c of [d.destination, ...(d.candidates ?? [])]) {
      const channel = await this.channelId(t, c);
      root = channel === undefined ? undefined : await this.findRoot(t, channel, key);
      if (root) break;
    }
    if (!root) {
      await this.post(
        t,
        d.destination,
        threadRootMessage(nextThreadState(undefined, notice, key), d.mention),
      );
      return;
    }
    const state = nextThreadState(root.state, notice, key);
    await this.pacer.turn(root.channel);
    await this.call(t, () =>
      this.client.chat.update({
        channel: root.channel,
        ts: root.ts,
        ...threadRootMessage(state, d.mention),
      } as never),
    );
    const replies = await this.call(t, () =>
      this.client.conversations.replies({
        channel: root.channel,
        ts: root.ts,
        include_all_metadata: true,
        limit: 200,
      }),
    );
    const seen = (replies.messages ?? []).some(
      (m) =>
        m.metadata?.event_type === REPLY_EVENT_TYPE &&
        (m.metadata.event_payload as Record<string, unknown> | undefined)?.event === notice.about.id,
    );
    if (seen) return;
    await this.post(
      t,
      root.channel,
      {
        ...noticeMessage(notice, d.mention),
        metadata: {
          event_type: REPLY_EVENT_TYPE,
          event_payload: { key, event: notice.about.id, type: notice.about.type },
        },
      },
      root.ts,
    );
  }

  private async findRoot(
    t: Tally,
    channel: string,
    key: string,
  ): Promise<{ channel: string; ts: string; state: Partial<ThreadState> } | undefined> {
    let cursor: string | undefined;
    let oldest: { ts: string; payload: Record<string, unknown> } | undefined;
    for (let page = 0; page < this.historyPages; page++) {
      const res = await this.call(t, () =>
        this.client.conversations.history({
          channel,
          limit: 200,
          include_all_metadata: true,
          ...(cursor ? { cursor } : {}),
        }),
      );
      for (const m of res.messages ?? []) {
        const payload = m.metadata?.event_payload as Record<string, unknown> | undefined;
        if (m.metadata?.event_type !== THREAD_EVENT_TYPE || payload?.key !== key || !m.ts) continue;
        if (!oldest || Number(m.ts) < Number(oldest.ts)) oldest = { ts: m.ts, payload };
      }
      cursor = res.response_metadata?.next_cursor || undefined;
      if (!cursor) break;
    }
    return oldest && { channel, ts: oldest.ts, state: readThreadState(oldest.payload) };
  }

  /** A channel's id: ids and member ids as they are; `#name` looked up once (conversations.list). */
  private async channelId(t: Tally, destination: string): Promise<string | undefined> {
    if (!destination.startsWith("#")) return destination;
    const known = this.channelIds.get(destination);
    if (known) return known;
    let cursor: string | undefined;
    do {
      const res = await this.call(t, () =>
        this.client.conversations.list({
          types: "public_channel,private_channel",
          exclude_archived: true,
          limit: 200,
          ...(cursor ? { cursor } : {}),
        }),
      );
      for (const c of res.channels ?? []) if (c.name && c.id) this.channelIds.set(`#${c.name}`, c.id);
      cursor = res.response_metadata?.next_cursor || undefined;
    } while (cursor && !this.channelIds.has(destination));
    return this.channelIds.get(destination);
  }

  private async post(t: Tally, channel: string, message: SlackMessage, threadTs?: string): Promise<void> {
    await this.pacer.turn(channel);
    await this.call(t, () =>
      this.client.chat.postMessage({
        channel,
        ...message,
        ...(threadTs ? { thread_ts: threadTs } : {}),
        unfurl_links: false,
        unfurl_media: false,
      } as never),
    );
  }

  private async call<T>(t: Tally, fn: () => Promise<T>): Promise<T> {
    try {
      const { value, attempts } = await retrySend(fn, classifySlackError, this.retry, this.waits);
      t.calls += attempts;
      return value;
    } catch (e) {
      t.calls += e instanceof SendFailed ? e.attempts : 1;
      throw e;
    }
  }
}

/** Calls made for one delivery, retries included. */
interface Tally {
  calls: number;
}
