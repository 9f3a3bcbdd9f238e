import type { Probot } from "probot";
import { notifySubscriber } from "../app/notify-subscriber.js";
import type { LifecycleBus } from "../app/lifecycle-bus.js";
import { notifySettings, type NotifySettings } from "../core/events/notification-routes.js";
import { defaultBranchHead } from "../github/default-branch.js";
import { readBase } from "../github/read-base.js";
import { chatSenders, reviewUrlFor } from "../notify/chat-senders.js";
import type { Installations } from "./installations.js";
import type { Clock } from "../core/clock.js";
import type { Env } from "../core/env.js";

/**
 * Notification settings of a repository, read from the policy on its default branch (the policy
 * in force), through the installation the bot heard from. Undefined when the repository is not
 * known yet, or its policy declares no notifications.
 */
export function defaultBranchSettings(
  probot: Probot,
  known: Installations,
): (repository: string) => Promise<NotifySettings | undefined> {
  return async (repository) => {
    const found = await known.session(probot, repository);
    if (!found) return undefined;
    const { s, r } = found;
    const base = await readBase(s, r, (await defaultBranchHead(s.gh, r)).headSha);
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
  env: Env,
  settings: (repository: string) => Promise<NotifySettings | undefined>,
  apiUrl: string | undefined,
  now: Clock,
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
