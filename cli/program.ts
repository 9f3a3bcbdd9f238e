import { commandHelp, parseCommand, UsageError, type CommandSpec, type OptionSpec } from "./command-spec.js";
import { processOutput, type Output } from "./output.js";

/** The version `jitops --version` prints. */
export const VERSION = "0.1.0";
const DESCRIPTION =
  "Privileged access management done the GitOps way: access to production is a pull request.";

const json = (what = "print one JSON object instead of lines"): OptionSpec => ({
  type: "boolean",
  description: what,
});
const dir: OptionSpec = {
  type: "string",
  short: "C",
  value: "dir",
  description: "repository root to read policies/ and access/requests/ from",
  default: ".",
};
const repo: OptionSpec = {
  type: "string",
  value: "owner/name",
  description: "the access repository",
  required: true,
};
const apiUrl: OptionSpec = {
  type: "string",
  value: "url",
  description: "GitHub API URL (GitHub Enterprise Server)",
  env: "GITHUB_API_URL",
};

const str = (v: string | boolean | undefined) => (typeof v === "string" ? v : undefined);
const flag = (v: string | boolean | undefined) => v === true;

/**
 * The `jitops` commands. Parsing is `node:util` parseArgs (no dependency to load at start-up);
 * each command's code is imported only when it runs.
 */
export function commands(o: Output, now: () => Date, env: NodeJS.ProcessEnv): CommandSpec[] {
  return [
    {
      name: "validate",
      description:
        "validate request files (default: every file under access/requests/) and always the policies under policies/",
      argument: {
        name: "files",
        description: "request files to check, relative to the repository root",
        many: true,
        required: false,
      },
      options: { json: json(), dir },
      after: "Exit status: 0 valid, 1 invalid, 2 usage or internal error.",
      run: async ({ positionals, values }) => {
        const { runValidate } = await import("./commands/validate.js");
        return runValidate(positionals, { json: flag(values.json), root: str(values.dir)!, now: now() }, o);
      },
    },
    {
      name: "test",
      description:
        "run policy test cases (default: policies/tests); one line per case, then N passed, N failed",
      argument: {
        name: "paths",
        description: "case files or folders of *.test.yaml",
        many: true,
        required: false,
      },
      options: { json: json(), dir },
      after: "Exit status: 0 when every case passes, 1 otherwise, 2 usage or internal error.",
      run: async ({ positionals, values }) => {
        const { runTest } = await import("./commands/test.js");
        return runTest(positionals, { json: flag(values.json), root: str(values.dir)! }, o);
      },
    },
    {
      name: "decide",
      description: "print the decision for one policy test case (its expect is ignored)",
      argument: { name: "case", description: "a *.test.yaml case file", many: false, required: true },
      options: { json: json("print the decision as JSON"), dir },
      after: "Exit status: 0 with a decision, 2 usage error or unreadable case.",
      run: async ({ positionals, values }) => {
        const { runDecide } = await import("./commands/decide.js");
        return runDecide(positionals[0]!, { json: flag(values.json), root: str(values.dir)! }, o);
      },
    },
    {
      name: "demo",
      description:
        "run the whole lifecycle on an embedded GitHub and cloud: request, approval, grant, expiry, revert, workload credentials",
      options: { json: json('print {"ok":...,"steps":[{"name","ok","detail"}]}') },
      after: "Exit status: 0 when every step held against the simulators' state, 1 otherwise.",
      run: async ({ values }) => {
        const { runDemoCommand } = await import("./commands/demo.js");
        return runDemoCommand({ json: flag(values.json) }, o);
      },
    },
    {
      name: "plan",
      description:
        "print the bindings request files would get if merged now (who, role, where, until when), or with --trust the drift of workload trust",
      argument: {
        name: "files",
        description: "request files (default: every file under access/requests/)",
        many: true,
        required: false,
      },
      options: {
        author: {
          type: "string",
          value: "login",
          description: "GitHub login of the requester (the PR author); needed without --trust",
        },
        trust: {
          type: "boolean",
          description: "compare the clouds' workload trust with policy (needs cloud credentials)",
        },
        json: json("print JSON"),
        dir,
      },
      after: "Exit status: 0 ok (no drift), 1 invalid input or drift, 2 usage error.",
      run: async ({ positionals, values }) => {
        if (values.trust) {
          const { runTrust } = await import("./commands/trust.js");
          return runTrust({ apply: false, json: flag(values.json), root: str(values.dir)! }, o, env);
        }
        const author = str(values.author);
        if (!author) throw new UsageError("plan needs --author <login> (or --trust)");
        const { runPlan } = await import("./commands/plan.js");
        return runPlan(
          positionals,
          { author, json: flag(values.json), root: str(values.dir)!, now: now() },
          o,
        );
      },
    },
    {
      name: "apply",
      description:
        "make the clouds' workload trust (GCP provider conditions and service account bindings, Azure federated credentials) match policy",
      options: { json: json("print JSON"), dir },
      after: "Needs cloud credentials: GCP Application Default Credentials, Azure DefaultAzureCredential.",
      run: async ({ values }) => {
        const { runTrust } = await import("./commands/trust.js");
        return runTrust({ apply: true, json: flag(values.json), root: str(values.dir)! }, o, env);
      },
    },
    {
      name: "reconcile",
      description:
        "re-decide every open pull request of the access repository (cron backstop for lost webhooks); needs GITHUB_TOKEN",
      options: { repo, "api-url": apiUrl, json: json("print the report as JSON") },
      run: async ({ values }) => {
        const { runReconcile } = await import("./commands/reconcile.js");
        return runReconcile(remote(values), o, env, now);
      },
    },
    {
      name: "expire",
      description:
        "remove expired bindings, open and merge revert PRs, and converge the cloud on Git; needs GITHUB_TOKEN and JITOPS_PROVIDERS",
      options: { repo, "api-url": apiUrl, json: json("print the report as JSON") },
      run: async ({ values }) => {
        const { runExpire } = await import("./commands/expire.js");
        return runExpire(remote(values), o, env, now);
      },
    },
  ];
}

function remote(values: Record<string, string | boolean | undefined>) {
  const apiUrl = str(values["api-url"]);
  return { repo: str(values.repo)!, json: flag(values.json), ...(apiUrl ? { apiUrl } : {}) };
}

/** The top-level help: the commands and what they do. */
export function programHelp(list: CommandSpec[]): string {
  const width = Math.max(...list.map((c) => c.name.length)) + 2;
  return [
    "Usage: jitops [options] <command>",
    "",
    DESCRIPTION,
    "",
    "Options:",
    "  -V, --version  output the version number",
    "  -h, --help     display help for command",
    "",
    "Commands:",
    ...list.map((c) => `  ${c.name.padEnd(width)}${c.description}`),
    "",
    "Run jitops <command> --help for a command's options.",
  ].join("\n");
}

/** Runs the CLI with `argv` (as process.argv); resolves to the exit code. */
export async function runCli(
  argv: string[],
  o: Output = processOutput(),
  now: () => Date = () => new Date(),
): Promise<number> {
  const list = commands(o, now, process.env);
  const [name, ...args] = argv.slice(2);
  if (name === "--version" || name === "-V") {
    o.out(VERSION);
    return 0;
  }
  if (name === "--help" || name === "-h" || name === "help") {
    const c = list.find((x) => x.name === args[0]);
    o.out(c ? commandHelp("jitops", c) : programHelp(list));
    return 0;
  }
  const command = list.find((c) => c.name === name);
  try {
    if (!command) {
      throw new UsageError(name === undefined ? "no command given" : `unknown command '${name}'`);
    }
    const input = parseCommand(command, args, process.env);
    if (input === "help") {
      o.out(commandHelp("jitops", command));
      return 0;
    }
    return await command.run(input);
  } catch (e) {
    const err = e as NodeJS.ErrnoException & { usage?: boolean };
    if (e instanceof UsageError || err.usage) {
      o.err(`error: ${err.message}`);
      o.err(
        command ? `(run jitops ${command.name} --help for usage)` : "(run jitops --help for the commands)",
      );
      return 2;
    }
    o.err(`jitops: ${err.code === "ENOENT" ? `no such file: ${err.path ?? err.message}` : err.message}`);
    return 2;
  }
}
