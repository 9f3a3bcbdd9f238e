import { createServer } from "node:http";
import { bearerToken } from "../shared/bearer-token.js";
import { answerOrFault } from "../shared/fault-plan.js";
import { sendJsonReply, type JsonReply } from "../shared/json-reply.js";
import { LoopbackSim } from "../shared/loopback-sim.js";
import { parseJsonObject } from "../shared/parse-json-object.js";
import { readBody } from "../shared/read-body.js";
import type { ChatCall, ChatFaultSpec, ChatUrls, SimSlackMessage, SimTeamsPost } from "./chat-types.js";
import { answerSlack, slackArgs } from "./slack-handler.js";
import { SlackState } from "./slack-state.js";

/** Options of the chat simulator: the bot token Slack accepts. */
export interface ChatSimOptions {
  clock?: () => Date;
  slackToken?: string;
}

/**
 * A recording Slack Web API (the methods a notifier uses: chat.postMessage, chat.update,
 * conversations.history/replies/list, with message metadata) and Teams Workflows webhooks on
 * loopback, with planned 429 and 500 answers. Tests and `jitops demo` read what was sent.
 */
export class ChatSim extends LoopbackSim<ChatUrls, ChatFaultSpec, ChatCall> {
  private readonly slack: SlackState;
  private readonly token: string;
  private readonly webhooks = new Map<string, string>();
  private readonly teams: SimTeamsPost[] = [];

  constructor(options: ChatSimOptions = {}) {
    super(options.clock);
    this.slack = new SlackState(this.clock);
    this.token = options.slackToken ?? "xoxb-sim";
  }

  protected async open(): Promise<ChatUrls> {
    const server = createServer((req, res) => {
      void (async () => {
        const url = new URL(req.url ?? "/", "http://127.0.0.1");
        const raw = await readBody(req);
        const service = url.pathname.startsWith("/api/") ? "slack" : "teams";
        const call = { service, method: req.method ?? "POST", path: url.pathname } as const;
        const { reply, faulted } = await answerOrFault(
          this.serverDeps,
          call,
          (status, message) =>
            service === "slack"
              ? { ok: false, error: status === 429 ? "ratelimited" : (message ?? "fatal_error") }
              : { error: { code: String(status), message: message ?? "Simulated failure" } },
          () =>
            service === "slack"
              ? this.answerSlack(url.pathname, raw, req.headers)
              : this.answerTeams(url, raw),
        );
        this.log.push({ ...call, status: reply.status, faulted });
        sendJsonReply(res, reply);
      })().catch((e: unknown) =>
        sendJsonReply(res, { status: 500, body: { ok: false, error: `sim: ${String(e)}` } }),
      );
    });
    const port = await this.listen(server);
    const base = `http://127.0.0.1:${port}`;
    return { slackApiUrl: `${base}/api/`, teamsUrl: `${base}/workflows/` };
  }

  private answerSlack(
    path: string,
    raw: string,
    headers: Record<string, string | string[] | undefined>,
  ): JsonReply {
    if (bearerToken(headers as never) !== this.token)
      return { status: 200, body: { ok: false, error: "invalid_auth" } };
    const args = slackArgs(raw, headers["content-type"] as string | undefined);
    return answerSlack(this.slack, path.slice("/api/".length), args);
  }

  private answerTeams(url: URL, raw: string): JsonReply {
    const name = decodeURIComponent(url.pathname.slice("/workflows/".length));
    const sig = this.webhooks.get(name);
    if (sig === undefined || url.searchParams.get("sig") !== sig)
      return {
        status: 401,
        body: { error: { code: "DirectApiAuthorizationRequired", message: "The signature is not valid." } },
      };
    const body = parseJsonObject(raw);
    const attachment = (
      body?.attachments as { contentType?: string; content?: { type?: string } }[] | undefined
    )?.[0];
    if (
      !body ||
      body.type !== "message" ||
      attachment?.contentType !== "application/vnd.microsoft.card.adaptive" ||
      attachment.content?.type !== "AdaptiveCard"
    )
      return {
        status: 400,
        body: {
          error: {
            code: "InvalidRequestContent",
            message: "Expected a message with an Adaptive Card attachment.",
          },
        },
      };
    this.teams.push({ webhook: name, body });
    return { status: 202 };
  }

  // ---- state API ----

  /** The bot token the Slack API accepts. */
  get slackToken(): string {
    return this.token;
  }

  /** Creates a Slack channel the app is in; returns its id. */
  createChannel(name: string, opts: { private?: boolean } = {}): string {
    return this.slack.createChannel(name, opts.private);
  }

  /** Declares a Teams Workflows webhook; returns its URL (with its signature, a secret). */
  createTeamsWebhook(name: string): string {
    const sig = `sig-${name}-${this.webhooks.size + 1}`;
    this.webhooks.set(name, sig);
    return `${this.urls.teamsUrl}${encodeURIComponent(name)}?api-version=2016-06-01&sig=${sig}`;
  }

  /** Slack messages (of one channel: id, `#name` or a member's direct messages), oldest first. */
  slackMessages(channel?: string): SimSlackMessage[] {
    const id = channel === undefined ? undefined : this.slack.resolve(channel).id;
    return this.slack.messages.filter((m) => id === undefined || m.channel === id).map((m) => ({ ...m }));
  }

  /** Cards a Teams webhook received (all webhooks when no name), oldest first. */
  teamsPosts(webhook?: string): SimTeamsPost[] {
    return this.teams.filter((p) => webhook === undefined || p.webhook === webhook);
  }
}

/** Creates the chat simulator; call `start()` for its URLs. */
export function createChatSim(options: ChatSimOptions = {}): ChatSim {
  return new ChatSim(options);
}
