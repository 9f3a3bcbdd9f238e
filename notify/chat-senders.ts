import { SlackNotifier, type SlackNotifierOptions } from "./slack-notifier.js";
import { TeamsNotifier, type TeamsNotifierOptions } from "./teams-notifier.js";
import type { Env } from "../core/env.js";

/** The chat senders the environment configures: Slack when SLACK_BOT_TOKEN is set, Teams always (URLs by name). */
export function chatSenders(
  env: Env,
  options: Omit<SlackNotifierOptions, "token" | "apiUrl"> & Omit<TeamsNotifierOptions, "env"> = {},
): { slack?: SlackNotifier; teams: TeamsNotifier } {
  const token = env.SLACK_BOT_TOKEN;
  const apiUrl = env.JITOPS_SLACK_API_URL;
  return {
    ...(token ? { slack: new SlackNotifier({ ...options, token, ...(apiUrl ? { apiUrl } : {}) }) } : {}),
    teams: new TeamsNotifier({ ...options, env }),
  };
}

/**
 * A pull request's review page on the GitHub the bot talks to: github.com for api.github.com, the
 * host itself for GitHub Enterprise Server (`https://HOST/api/v3`).
 */
export function reviewUrlFor(apiUrl = "https://api.github.com"): (repository: string, pr: number) => string {
  const u = new URL(apiUrl);
  const web =
    u.hostname === "api.github.com"
      ? "https://github.com"
      : `${u.protocol}//${u.host}${u.pathname.replace(/\/api\/v3\/?$/, "").replace(/\/$/, "")}`;
  return (repository, pr) => `${web}/${repository}/pull/${pr}/files`;
}
