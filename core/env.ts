/**
 * Environment variables, as the entry points (bot/main.ts, action/main.ts, cli/index.ts) pass
 * `process.env` down. Everything below them takes an Env in its dependencies and never reads
 * `process.env` itself, so tests pass an object instead of mutating the process's environment.
 */
export type Env = Readonly<Record<string, string | undefined>>;
