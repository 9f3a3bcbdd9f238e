import { ConfigError } from "../core/config-error.js";
import { providersFromEnv } from "../providers/from-env.js";
import { leaseKubeConfig } from "./lease-kube-config.js";
import { botOptionsFromEnv } from "./read-env.js";
import { createBotServer } from "./server.js";
import { shutdownOnSignals } from "./shutdown-on-signal.js";

try {
  const env = botOptionsFromEnv(process.env);
  const { lease, ...rest } = env;
  const server = await createBotServer({
    ...rest,
    ...(lease ? { lease: { ...lease, kubeConfig: leaseKubeConfig(process.env) } } : {}),
    providers: providersFromEnv(process.env),
    notifyEnv: process.env,
    activity: { env: process.env },
    auditToStream: true,
  });
  shutdownOnSignals(server, env.shutdownGraceMs);
  server.probot.log.info(`jitops bot listening for webhooks at ${server.webhookUrl}`);
} catch (e) {
  const code = (e as { code?: unknown }).code;
  process.stderr.write(
    `${typeof code === "string" && code.startsWith("bot.") ? `${code}: ` : ""}${(e as Error).message}\n`,
  );
  // Exit 2: fix the configuration; 1: anything else.
  process.exitCode = e instanceof ConfigError ? 2 : 1;
}
