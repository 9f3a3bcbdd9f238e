import type { SimSlackChannel, SimSlackMessage } from "./chat-types.js";

/** A Web API answer: `ok: false` with an error code, as Slack answers with HTTP 200. */
export class SlackApiError extends Error {
  constructor(readonly error: string) {
    super(error);
  }
}

/** Channels and messages of the simulated Slack workspace. */
export class SlackState {
  readonly channels: SimSlackChannel[] = [];
  readonly messages: SimSlackMessage[] = [];
  private seq = 0;

  constructor(private readonly clock: () => Date) {}

  /** Creates a channel (the app is a member); returns its id. */
  createChannel(name: string, isPrivate = false): string {
    const id = `${isPrivate ? "G" : "C"}${String(this.channels.length + 1).padStart(8, "0")}`;
    this.channels.push({ id, name, isPrivate });
    return id;
  }

  /** The channel a `channel` argument names: an id, `#name`, or a member id (their direct-message channel). */
  resolve(channel: string): SimSlackChannel {
    if (/^[UW][A-Z0-9]+$/.test(channel)) {
      const dm = this.channels.find((c) => c.user === channel);
      if (dm) return dm;
      const created = { id: `D${channel.slice(1)}`, name: "", isPrivate: true, user: channel };
      this.channels.push(created);
      return created;
    }
    const found = this.channels.find(
      (c) => c.id === channel || (channel.startsWith("#") && `#${c.name}` === channel),
    );
    if (!found) throw new SlackApiError("channel_not_found");
    return found;
  }

  /** Posts a message; ts values increase with the clock and a sequence, as Slack's do. */
  post(m: Omit<SimSlackMessage, "ts" | "edits" | "channel">, channel: SimSlackChannel): SimSlackMessage {
    if (m.threadTs && !this.messages.some((x) => x.channel === channel.id && x.ts === m.threadTs))
      throw new SlackApiError("thread_not_found");
    const seconds = Math.floor(this.clock().getTime() / 1000);
    const message: SimSlackMessage = {
      ...m,
      channel: channel.id,
      ts: `${seconds}.${String(++this.seq).padStart(6, "0")}`,
      edits: 0,
    };
    this.messages.push(message);
    return message;
  }

  /** Finds a message by channel id and ts. */
  find(channel: string, ts: string): SimSlackMessage {
    const m = this.messages.find((x) => x.channel === channel && x.ts === ts);
    if (!m) throw new SlackApiError("message_not_found");
    return m;
  }
}
