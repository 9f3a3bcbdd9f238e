import { parseArgs } from "node:util";

export const BENCH_USAGE = `Usage: npm run bench -- [--json] [--quick] [--load-seconds N]

Measures jitops against anchors run on the same machine in the same run; docs/STATUS.md lists the
figures of the last full run.

Options:
  --json              print one JSON document on stdout (progress stays on stderr)
  --quick             fewer iterations (a smoke run, not figures to report)
  --load-seconds N    seconds each load rate is offered (default 10, 3 with --quick)
  -h, --help          print this help
`;

/** The bench's options, or what to print and the exit status (0 for --help, 2 for a usage error). */
export function parseBenchArgs(
  argv: string[],
): { values: { json?: boolean; quick?: boolean }; loadSeconds: number } | { exit: 0 | 2; text: string } {
  let values;
  try {
    values = parseArgs({
      args: argv,
      options: {
        json: { type: "boolean" },
        quick: { type: "boolean" },
        "load-seconds": { type: "string" },
        help: { type: "boolean", short: "h" },
      },
    }).values;
  } catch (e) {
    return { exit: 2, text: `bench: ${(e as Error).message}\n\n${BENCH_USAGE}` };
  }
  if (values.help) return { exit: 0, text: BENCH_USAGE };
  const loadSeconds = Number(values["load-seconds"] ?? (values.quick ? 3 : 10));
  if (!(loadSeconds > 0))
    return {
      exit: 2,
      text: `bench: --load-seconds must be a number of seconds above 0, not "${values["load-seconds"]}"\n`,
    };
  return { values: { json: values.json, quick: values.quick }, loadSeconds };
}
