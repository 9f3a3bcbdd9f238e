import type { Probot } from "probot";
import { notifySubscriber } from "../app/notify-subscriber.js";
import type { LifecycleBus } from "../app/lifecycle-bus.js";
import type { TicketPatternCache } from "../core/compile-policy.js";
import { notifySettings, type NotifySettings } from "../core/events/notification-routes.js";
import type { GitHubClient } from "../github/client.js";
import { readBase } from "../github/read-base.js";
import { chatSenders, reviewUrlFor } from "../notify/chat-senders.js";
import type { KnownRepos } from "./app.js";

/**
 * Notification settings of a repository, read from the policy on its default branch (the policy
 * in force), through the installation the bot heard from. Undefined when the repository is not
 * known yet, or its policy declares no notifications.
 */
export function defaultBranchSettings(
  probot: Probot,
  known: KnownRepos,
  patterns?: TicketPatternCache,
): (repository: string) => Promise<NotifySettings | undefined> {
  return async (repository) => {
    const entry = known.list().find((k) => `${k.repo.owner}/${k.repo.repo}` === repository);
    if (!entry) return undefined;
    const gh = (await probot.auth(entry.installationId)) as unknown as GitHubClient;
    const { data: repo } = await gh.request("GET /repos/{owner}/{repo}", { ...entry.repo });
    const { data: head } = await gh.request("GET /repos/{owner}/{repo}/commits/{ref}", {
      ...entry.repo,
      ref: repo.default_branch,
    });
    const base = await readBase(gh, entry.repo, head.sha, patterns);
    const policy = base.loaded.policy?.source;
    return policy ? notifySettings(policy) : undefined;
  };
}

/**
 * Subscribes Slack and Teams notifications to the bus when the environment configures a chat
 * service (SLACK_BOT_TOKEN, or a JITOPS_TEAMS_WEBHOOK_<NAME>); returns whether it did.
 */
export function subscribeNotifications(
  bus: LifecycleBus,
  env: Record<string, string | undefined>,
  settings: (repository: string) => Promise<NotifySettings | undefined>,
  apiUrl: string | undefined,
  now: () => Date,
): boolean {
  const configured =
    Boolean(env.SLACK_BOT_TOKEN) || Object.keys(env).some((k) => k.startsWith("JITOPS_TEAMS_WEBHOOK_"));
  if (!configured) return false;
  const { slack, teams } = chatSenders(env);
  bus.subscribe(
    notifySubscriber({
      settings,
      ...(slack ? { slack } : {}),
      teams,
      reviewUrl: reviewUrlFor(apiUrl),
      emit: (e) => bus.emit(e),
      now,
    }),
  );
  return true;
}
