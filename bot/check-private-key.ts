import { createPrivateKey } from "node:crypto";
import { BotConfigError } from "./bot-config-error.js";

/**
 * Throws `bot.private-key-invalid` unless `pem` parses as a private key: without this check the bot
 * would listen and only fail on its first API call. `source` names where the key came from; the
 * message never quotes the key.
 */
export function assertPrivateKey(pem: string, source: string): void {
  try {
    const key = createPrivateKey(pem);
    if (key.asymmetricKeyType !== "rsa")
      throw new Error(`the key type is ${key.asymmetricKeyType ?? "unknown"}; GitHub Apps sign with RSA`);
  } catch (e) {
    const why = (e as Error).message.replace(/^error:[0-9A-F]+:/i, "");
    throw new BotConfigError(
      "bot.private-key-invalid",
      `jitops bot: ${source} is not a usable PEM private key (${why}); refusing to start`,
      "download a new private key from the GitHub App's settings page and give the whole PEM file, BEGIN and END lines included",
    );
  }
}
