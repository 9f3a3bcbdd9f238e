import { generateKeyPairSync } from "node:crypto";
import { createBotServer, type BotServer, type BotServerOptions } from "../../bot/server.js";
import type { GitHubSim } from "@jitops/sim/github";

/** Bot options besides those the simulator decides (App id, key, REST base URL, port, pacing). */
export type SimBotOptions = Omit<
  BotServerOptions,
  "appId" | "privateKey" | "baseUrl" | "port" | "throttle"
> & {
  secret: string;
};

/**
 * Starts the real jitops bot as the started simulator's GitHub App (a fresh key, a free loopback port)
 * and points the simulator's webhooks at it.
 */
export async function startSimBot(github: GitHubSim, options: SimBotOptions): Promise<BotServer> {
  const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const bot = await createBotServer({
    ...options,
    appId: github.appInfo.id,
    privateKey: privateKey.export({ type: "pkcs1", format: "pem" }).toString(),
    baseUrl: github.url,
    port: 0,
    // Pacing spaces writes a second apart; it changes the time, never the number of calls.
    throttle: false,
  });
  // The bot answers once a delivery is queued: settling the simulator also waits for the work.
  github.setWebhookTarget({ url: bot.webhookUrl, secret: options.secret, idle: () => bot.idle() });
  return bot;
}
