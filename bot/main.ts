import { providersFromEnv } from "../providers/from-env.js";
import { botOptionsFromEnv } from "./read-env.js";
import { createBotServer } from "./server.js";

try {
  const server = await createBotServer({
    ...botOptionsFromEnv(process.env),
    providers: providersFromEnv(process.env),
  });
  server.probot.log.info(`jitops bot listening for webhooks at ${server.webhookUrl}`);
} catch (e) {
  process.stderr.write(`${(e as Error).message}\n`);
  process.exitCode = 1;
}
