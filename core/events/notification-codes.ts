/**
 * Why a chat message was not delivered: the `code` of a notification-failed event. Listed in
 * core so that docs/reference/errors.md documents each (its test reads core's code literals).
 */
export const NOTIFICATION_CODES = {
  /** A requester's direct message, but policy principals give them no Slack member id. */
  noSlackMember: "notification.no-slack-member",
  /** A Slack destination, but SLACK_BOT_TOKEN is not set. */
  slackTokenUnset: "notification.slack-token-unset",
  /** A Teams webhook name whose JITOPS_TEAMS_WEBHOOK_<NAME> is not set. */
  teamsWebhookUnset: "notification.teams-webhook-unset",
  /** Slack refused the call (an error such as channel_not_found or not_in_channel). */
  slackRefused: "notification.slack-refused",
  /** The Teams webhook answered with an error other than 429 or 5xx. */
  teamsRefused: "notification.teams-refused",
  /** Still failing (429, 5xx, no answer) after every retry. */
  gaveUp: "notification.gave-up",
} as const;

/** One of the codes above. */
export type NotificationCode = (typeof NOTIFICATION_CODES)[keyof typeof NOTIFICATION_CODES];
