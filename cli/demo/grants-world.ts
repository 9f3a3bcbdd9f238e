import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { KubeConfig } from "@kubernetes/client-node";
import { OAuth2Client } from "google-auth-library";
import type { BotServer } from "../../bot/server.js";
import type { AuditEvent } from "../../core/audit.js";
import type { Clock } from "../../core/clock.js";
import type { Env } from "../../core/env.js";
import type { GrantAuditEvent } from "../../core/audit-grant.js";
import { armPimClient } from "../../providers/azure-pim-client.js";
import { azureProvider } from "../../providers/azure-provider.js";
import { resourceManagerClient } from "../../providers/gcp-iam-client.js";
import { gcpProvider } from "../../providers/gcp-provider.js";
import { kubeRbacClient } from "../../providers/kubernetes-rbac-client.js";
import { kubernetesProvider } from "../../providers/kubernetes-provider.js";
import { notifySubscriber } from "../../app/notify-subscriber.js";
import { notifySettings } from "../../core/events/notification-routes.js";
import { loadPolicy } from "../../core/load-policy.js";
import { reviewUrlFor } from "../../notify/chat-senders.js";
import { SlackNotifier } from "../../notify/slack-notifier.js";
import { TeamsNotifier } from "../../notify/teams-notifier.js";
import { createChatSim, type ChatSim } from "@jitops/sim/chat";
import { createCloudSim, type CloudSim } from "@jitops/sim/cloud";
import { createGitHubSim, type GitHubSim } from "@jitops/sim/github";
import { fixedAzureToken } from "./fixed-azure-token.js";
import { packageRoot } from "./package-root.js";
import { startSimBot, type SimBotOptions } from "./start-sim-bot.js";

/** The access repository of the demo organisation. */
export const ACCESS_REPO = "acme/access";
/** People of the example organisation (ids as in the policy test cases). */
export const DEMO_USERS: Record<string, number> = {
  alice: 101,
  bob: 102,
  carol: 103,
  dave: 104,
  erin: 105,
  frank: 106,
  grace: 107,
  heidi: 108,
};
/** Teams of the example organisation. */
export const DEMO_TEAMS: Record<string, string[]> = {
  backend: ["alice"],
  sre: ["bob", "carol"],
  "db-owners": ["dave"],
  security: ["frank", "grace", "heidi"],
  platform: ["erin"],
  "platform-leads": ["bob", "frank"],
  engineering: ["alice", "bob", "carol", "dave", "erin"],
};

/** The embedded GitHub and cloud, with the real jitops bot between them. */
export interface GrantsWorld {
  github: GitHubSim;
  cloud: CloudSim;
  /** Slack and Teams, where the bot's notifications land. */
  chat: ChatSim;
  bot: BotServer;
  audit: AuditEvent[];
  grantAudit: GrantAuditEvent[];
  close(): Promise<void>;
}

/** The example organisation's policies/ and CODEOWNERS, from the package. */
export function exampleBase(): Record<string, string> {
  const root = packageRoot();
  const files: Record<string, string> = { CODEOWNERS: readFileSync(join(root, "CODEOWNERS"), "utf8") };
  for (const f of readdirSync(join(root, "policies")).filter((n) => n.endsWith(".yaml"))) {
    files[`policies/${f}`] = readFileSync(join(root, "policies", f), "utf8");
  }
  return files;
}

/**
 * Starts sim/github and sim/cloud, seeds the example organisation, and starts the bot with real
 * providers on them; `botOptions` adds bot options that may need the cloud (activity readers).
 * `env`: JITOPS_DEMO_LOG=error (or info, debug) shows the bot's log, silent by default.
 */
export async function startGrantsWorld(
  now: Clock,
  env: Env,
  botOptions?: (cloud: CloudSim) => Partial<SimBotOptions>,
): Promise<GrantsWorld> {
  const github = createGitHubSim({ clock: now });
  github.createOrg("acme", { id: 7890 });
  for (const [login, id] of Object.entries(DEMO_USERS)) github.createUser(login, { id });
  for (const [slug, members] of Object.entries(DEMO_TEAMS)) github.createTeam("acme", slug, members);
  await github.start();
  github.createRepo(ACCESS_REPO, { files: exampleBase(), author: "frank" });

  const cloud = createCloudSim({ clock: now });
  const urls = await cloud.start();
  cloud.gcpCreateResource("projects/acme-prod");
  cloud.gcpCreateResource("projects/acme-staging");
  cloud.k8sAddNamespace("payments");

  // The real providers, pointed at the embedded cloud instead of Google, Azure and a cluster.
  const gcpAuth = new OAuth2Client();
  gcpAuth.setCredentials({ access_token: "jitops-demo" });
  const gcp = gcpProvider(
    resourceManagerClient({ ...urls.gcpEndpoint, protocol: "http", authClient: gcpAuth }),
  );
  const azure = azureProvider(
    armPimClient(fixedAzureToken("jitops-demo"), { endpoint: urls.azureUrl, allowInsecureConnection: true }),
    now,
  );
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: "prod", server: urls.kubernetesUrl, skipTLSVerify: true }],
    users: [{ name: "jitops", token: "jitops-demo" }],
    contexts: [{ name: "prod", cluster: "prod", user: "jitops" }],
    currentContext: "prod",
  });
  const kubernetes = kubernetesProvider({ prod: kubeRbacClient(kc) }, now);

  const audit: AuditEvent[] = [];
  const grantAudit: GrantAuditEvent[] = [];
  const bot = await startSimBot(github, {
    secret: "jitops-demo-webhook-secret",
    retryBaseMs: 1,
    logLevel: (env.JITOPS_DEMO_LOG as "error" | undefined) ?? "fatal",
    now,
    providers: [gcp, azure, kubernetes],
    audit: { write: (e) => void audit.push(e) },
    grantAudit: { write: (e) => void grantAudit.push(e) },
    ...botOptions?.(cloud),
  });
  const chat = await startNotifications(bot, github.url, now);
  return {
    github,
    cloud,
    chat,
    bot,
    audit,
    grantAudit,
    close: async () => {
      await bot.close();
      await github.stop();
      await cloud.stop();
      await chat.stop();
    },
  };
}

/**
 * Slack and Teams on the chat simulator, subscribed to the bot's lifecycle events with the example
 * organisation's `policies/notifications.yaml`. The demo's clock is accelerated, so the senders'
 * pacing waits (a second between messages to one channel) are skipped.
 */
async function startNotifications(bot: BotServer, apiUrl: string, now: Clock): Promise<ChatSim> {
  const chat = createChatSim({ clock: now });
  const urls = await chat.start();
  chat.createChannel("access-approvals");
  chat.createChannel("security");
  const waits = { sleep: async () => undefined, now };
  const policy = loadPolicy(
    Object.entries(exampleBase())
      .filter(([p]) => p.startsWith("policies/"))
      .map(([path, content]) => ({ path, content })),
  ).policy?.source;
  const settings = policy ? notifySettings(policy) : undefined;
  bot.events.subscribe(
    notifySubscriber({
      settings: async () => settings,
      slack: new SlackNotifier({ token: chat.slackToken, apiUrl: urls.slackApiUrl, waits }),
      teams: new TeamsNotifier({
        env: { JITOPS_TEAMS_WEBHOOK_ACCESS_APPROVALS: chat.createTeamsWebhook("access-approvals") },
        waits,
      }),
      reviewUrl: reviewUrlFor(apiUrl),
      emit: (e) => bot.events.emit(e),
      now,
    }),
  );
  return chat;
}
