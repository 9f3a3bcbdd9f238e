import { ConfigError } from "../core/config-error.js";

/** Codes of the bot's start-up errors (exit status 2: fix the configuration). */
export type BotConfigCode =
  | "bot.env-missing"
  | "bot.env-conflict"
  | "bot.env-invalid"
  | "bot.secret-file-unreadable"
  | "bot.private-key-invalid"
  | "bot.audit-file-unwritable";

/** A configuration problem that stops the bot from starting, with a code tests and runbooks can match. */
export class BotConfigError extends ConfigError {
  constructor(
    readonly code: BotConfigCode,
    message: string,
    hint?: string,
  ) {
    super(message, hint);
    this.name = "BotConfigError";
  }
}
