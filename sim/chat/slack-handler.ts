import type { JsonReply } from "../shared/json-reply.js";
import { SlackApiError, type SlackState } from "./slack-state.js";
import type { SimSlackMessage } from "./chat-types.js";

/** A Web API call's arguments: form fields (JSON-encoded objects decoded) or a JSON body. */
export function slackArgs(raw: string, contentType: string | undefined): Record<string, unknown> {
  if ((contentType ?? "").includes("application/json"))
    return JSON.parse(raw || "{}") as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [k, v] of new URLSearchParams(raw)) {
    out[k] = /^[[{]/.test(v) ? JSON.parse(v) : v;
  }
  return out;
}

const str = (v: unknown): string | undefined => (typeof v === "string" && v !== "" ? v : undefined);
const view = (m: SimSlackMessage, metadata: boolean) => ({
  type: "message",
  ts: m.ts,
  text: m.text,
  blocks: m.blocks,
  ...(m.threadTs ? { thread_ts: m.threadTs } : {}),
  ...(metadata && m.metadata ? { metadata: m.metadata } : {}),
});

/** Answers one Web API method the notifier uses, with Slack's shapes; other methods are `unknown_method`. */
export function answerSlack(state: SlackState, method: string, args: Record<string, unknown>): JsonReply {
  try {
    return { status: 200, body: { ok: true, ...call(state, method, args) } };
  } catch (e) {
    if (e instanceof SlackApiError) return { status: 200, body: { ok: false, error: e.error } };
    throw e;
  }
}

function call(state: SlackState, method: string, a: Record<string, unknown>): Record<string, unknown> {
  const page = <T>(items: T[]) => {
    const limit = Math.min(Number(a.limit ?? 100) || 100, 1000);
    const start = Number(str(a.cursor) ?? 0);
    const slice = items.slice(start, start + limit);
    const next = start + limit < items.length ? String(start + limit) : "";
    return { slice, meta: { response_metadata: { next_cursor: next } }, more: next !== "" };
  };
  switch (method) {
    case "chat.postMessage": {
      const channel = state.resolve(str(a.channel) ?? "");
      if (!str(a.text) && !Array.isArray(a.blocks)) throw new SlackApiError("no_text");
      const m = state.post(
        {
          text: str(a.text) ?? "",
          blocks: (a.blocks as unknown[]) ?? [],
          ...(a.metadata ? { metadata: a.metadata as SimSlackMessage["metadata"] } : {}),
          ...(str(a.thread_ts) ? { threadTs: str(a.thread_ts)! } : {}),
        },
        channel,
      );
      return { channel: channel.id, ts: m.ts, message: view(m, true) };
    }
    case "chat.update": {
      const channel = state.resolve(str(a.channel) ?? "");
      if (channel.id !== a.channel) throw new SlackApiError("channel_not_found");
      const m = state.find(channel.id, str(a.ts) ?? "");
      if (str(a.text) !== undefined) m.text = str(a.text)!;
      if (Array.isArray(a.blocks)) m.blocks = a.blocks;
      if (a.metadata) m.metadata = a.metadata as SimSlackMessage["metadata"];
      m.edits++;
      return { channel: channel.id, ts: m.ts, text: m.text };
    }
    case "conversations.history": {
      const channel = state.resolve(str(a.channel) ?? "");
      if (channel.id !== a.channel) throw new SlackApiError("channel_not_found");
      const top = state.messages.filter((m) => m.channel === channel.id && !m.threadTs).reverse();
      const { slice, meta, more } = page(top);
      return {
        messages: slice.map((m) =>
          view(m, a.include_all_metadata === "true" || a.include_all_metadata === true),
        ),
        has_more: more,
        ...meta,
      };
    }
    case "conversations.replies": {
      const channel = state.resolve(str(a.channel) ?? "");
      const root = state.find(channel.id, str(a.ts) ?? "");
      const thread = [
        root,
        ...state.messages.filter((m) => m.channel === channel.id && m.threadTs === root.ts),
      ];
      const { slice, meta, more } = page(thread);
      return {
        messages: slice.map((m) =>
          view(m, a.include_all_metadata === "true" || a.include_all_metadata === true),
        ),
        has_more: more,
        ...meta,
      };
    }
    case "conversations.list": {
      const channels = state.channels.filter((c) => !c.user);
      const { slice, meta } = page(channels);
      return {
        channels: slice.map((c) => ({ id: c.id, name: c.name, is_private: c.isPrivate, is_member: true })),
        ...meta,
      };
    }
    default:
      throw new SlackApiError("unknown_method");
  }
}
