import type { Env } from "../core/env.js";
import { didYouMean } from "./did-you-mean.js";
import { parseArgs } from "node:util";
import { exitStatusHelp, type ExitMeanings } from "./exit-status.js";

/** One option of a command, as `node:util` parseArgs takes it, plus its help. */
export interface OptionSpec {
  type: "string" | "boolean";
  short?: string;
  /** Shown as `--name <value>`. */
  value?: string;
  description: string;
  default?: string;
  /** Read from this environment variable when the option is absent. */
  env?: string;
  required?: boolean;
}

/** Parsed input of a command. */
export interface CommandInput {
  positionals: string[];
  values: Record<string, string | boolean | undefined>;
}

/** A command of the `jitops` CLI: its help, its options, and what it runs (loaded on demand). */
export interface CommandSpec {
  name: string;
  description: string;
  /** Positional arguments: `[files...]` (any number), `<case>` (exactly one), or none. */
  argument?: { name: string; description: string; many: boolean; required: boolean };
  options: Record<string, OptionSpec>;
  /** What exit statuses 0 and 1 mean for this command (2 and 3 mean the same for all). */
  exit: ExitMeanings;
  after?: string;
  run(input: CommandInput): Promise<number>;
}

/** A usage error: printed with a hint to --help, exit status 2. */
export class UsageError extends Error {}

function optionLabel(name: string, o: OptionSpec): string {
  const long = `--${name}${o.type === "string" ? ` <${o.value ?? name}>` : ""}`;
  return o.short ? `-${o.short}, ${long}` : long;
}

/** Help text of a command, in the usual layout: usage, description, arguments, options, exit status. */
export function commandHelp(program: string, c: CommandSpec): string {
  const arg = c.argument
    ? ` ${c.argument.required ? `<${c.argument.name}>` : `[${c.argument.name}${c.argument.many ? "..." : ""}]`}`
    : "";
  const opts = Object.entries(c.options).map(([n, o]) => [
    optionLabel(n, o),
    `${o.description}${o.default !== undefined ? ` (default: ${JSON.stringify(o.default)})` : ""}${o.env ? ` (env: ${o.env})` : ""}`,
  ]);
  opts.push(["-h, --help", "display help for command"]);
  const rows = [...(c.argument ? [[c.argument.name, c.argument.description]] : []), ...opts];
  const width = Math.max(...rows.map((r) => r[0]!.length)) + 2;
  const fmt = (r: string[]) => `  ${r[0]!.padEnd(width)}${r[1]}`;
  return [
    `Usage: ${program} ${c.name} [options]${arg}`,
    "",
    c.description,
    ...(c.argument ? ["", "Arguments:", fmt([c.argument.name, c.argument.description])] : []),
    "",
    "Options:",
    ...opts.map(fmt),
    "",
    ...exitStatusHelp(c.exit),
    ...(c.after ? ["", c.after] : []),
  ].join("\n");
}

/** Parses a command's arguments strictly: unknown options, missing values and missing required options are usage errors. */
export function parseCommand(c: CommandSpec, args: string[], env: Env): CommandInput | "help" {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      strict: true,
      options: {
        help: { type: "boolean", short: "h" },
        ...Object.fromEntries(
          Object.entries(c.options).map(([n, o]) => [
            n,
            { type: o.type, ...(o.short ? { short: o.short } : {}) },
          ]),
        ),
      },
    });
  } catch (e) {
    const err = e as { code?: string; message: string };
    const flag = /'([^']+)'/.exec(err.message)?.[1];
    if (err.code === "ERR_PARSE_ARGS_UNKNOWN_OPTION") {
      const names = ["help", ...Object.keys(c.options)].map((n) => `--${n}`);
      throw new UsageError(`unknown option '${flag ?? "?"}'${flag ? didYouMean(flag, names) : ""}`);
    }
    throw new UsageError(err.message.split("\n")[0]!);
  }
  if (parsed.values.help) return "help";
  const values: CommandInput["values"] = { ...parsed.values };
  for (const [n, o] of Object.entries(c.options)) {
    if (values[n] === undefined && o.env && env[o.env]) values[n] = env[o.env];
    if (values[n] === undefined && o.default !== undefined) values[n] = o.default;
    if (values[n] === undefined && o.required)
      throw new UsageError(`required option '${optionLabel(n, o)}' not specified`);
  }
  const a = c.argument;
  const n = parsed.positionals.length;
  if (!a && n > 0)
    throw new UsageError(`too many arguments for '${c.name}': ${parsed.positionals.join(" ")}`);
  if (a?.required && n === 0) throw new UsageError(`missing required argument '${a.name}'`);
  if (a && !a.many && n > 1)
    throw new UsageError(`too many arguments for '${c.name}': expected one ${a.name}`);
  return { positionals: parsed.positionals, values };
}
