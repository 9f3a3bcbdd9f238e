/**
 * Environment variables, as the entry points (bot/main.ts, action/main.ts, cli/index.ts) pass the
 * process's environment down. Everything below them takes an Env in its dependencies and never
 * reads the process's environment itself, so tests pass an object instead of mutating it.
 */
export type Env = Readonly<Record<string, string | undefined>>;
