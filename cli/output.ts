import type { Env } from "../core/env.js";

/** Where a command writes; injected so tests can capture output. */
export interface Output {
  out(text: string): void;
  err(text: string): void;
  color: boolean;
}

/**
 * Whether to colour output, by the usual conventions: FORCE_COLOR decides when set (`0` or
 * `false` off, anything else on, as Node reads it), else a non-empty NO_COLOR turns colour off,
 * else colour only on a terminal.
 */
export function colorWanted(env: Env, isTTY: boolean): boolean {
  const force = env.FORCE_COLOR;
  if (force !== undefined) return force !== "0" && force.toLowerCase() !== "false";
  if (env.NO_COLOR) return false;
  return isTTY;
}

/** The process's stdout/stderr, coloured as `colorWanted` says. */
export function processOutput(env: Env): Output {
  return {
    out: (t) => process.stdout.write(`${t}\n`),
    err: (t) => process.stderr.write(`${t}\n`),
    color: colorWanted(env, Boolean(process.stdout.isTTY)),
  };
}

/** Wraps text in an ANSI colour when colour is on. */
export function paint(o: Output, color: "red" | "green" | "yellow" | "dim" | "bold", text: string): string {
  if (!o.color) return text;
  const codes = { red: 31, green: 32, yellow: 33, dim: 2, bold: 1 } as const;
  return `\u001b[${codes[color]}m${text}\u001b[0m`;
}
