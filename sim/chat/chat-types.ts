import type { FaultSpec } from "../shared/fault-plan.js";

/** The services of the chat simulator. */
export type ChatService = "slack" | "teams";

/** A planned fault: e.g. `{service: "slack", path: "/api/chat.postMessage", status: 429, retryAfter: 1}`. */
export type ChatFaultSpec = FaultSpec<ChatService>;

/** One call the simulator answered. */
export interface ChatCall {
  service: ChatService;
  method: string;
  path: string;
  status: number;
  faulted: boolean;
}

/** A Slack message as the simulator keeps it. */
export interface SimSlackMessage {
  channel: string;
  ts: string;
  text: string;
  blocks: unknown[];
  metadata?: { event_type: string; event_payload: Record<string, unknown> };
  threadTs?: string;
  /** How many times chat.update changed it. */
  edits: number;
}

/** A Slack channel (or a direct-message channel with a member). */
export interface SimSlackChannel {
  id: string;
  name: string;
  isPrivate: boolean;
  /** For a direct message: the member. */
  user?: string;
}

/** A card a Teams Workflows webhook received. */
export interface SimTeamsPost {
  webhook: string;
  body: Record<string, unknown>;
}

/** Where the simulator answers. */
export interface ChatUrls {
  /** Slack Web API base, ending in `/` (WebClient's slackApiUrl). */
  slackApiUrl: string;
  /** Base URL of the Teams webhooks; a webhook's URL is given by `teamsWebhookUrl(name)`. */
  teamsUrl: string;
}
