import { Command, CommanderError, Option } from "commander";
import { processOutput, type Output } from "./output.js";

/** Builds the `jitops` command line; every command has --help and is loaded only when it runs. */
export function buildProgram(
  o: Output,
  setExit: (code: number) => void,
  now: () => Date = () => new Date(),
): Command {
  const program = new Command("jitops")
    .description("Privileged access management done the GitOps way: access to production is a pull request.")
    .version("0.1.0")
    .showHelpAfterError("(run with --help for usage)")
    .configureOutput({ writeOut: (s) => o.out(s.trimEnd()), writeErr: (s) => o.err(s.trimEnd()) })
    .exitOverride();
  const root = new Option(
    "-C, --dir <dir>",
    "repository root to read policies/ and access/requests/ from",
  ).default(".");

  program
    .command("validate")
    .description(
      "validate request files (default: every file under access/requests/) and always the policies under policies/",
    )
    .argument("[files...]", "request files to check, relative to the repository root")
    .option("--json", "print one JSON object instead of lines")
    .addOption(root)
    .addHelpText("after", "\nExit status: 0 valid, 1 invalid, 2 usage or internal error.")
    .action(async (files: string[], opts: { json?: boolean; dir: string }) => {
      const { runValidate } = await import("./commands/validate.js");
      setExit(await runValidate(files, { json: opts.json, root: opts.dir, now: now() }, o));
    });

  program
    .command("test")
    .description(
      "run policy test cases (default: policies/tests); one line per case, then N passed, N failed",
    )
    .argument("[paths...]", "case files or folders of *.test.yaml")
    .option("--json", "print one JSON object instead of lines")
    .addOption(root)
    .addHelpText("after", "\nExit status: 0 when every case passes, 1 otherwise, 2 usage or internal error.")
    .action(async (paths: string[], opts: { json?: boolean; dir: string }) => {
      const { runTest } = await import("./commands/test.js");
      setExit(await runTest(paths, { json: opts.json, root: opts.dir }, o));
    });

  program
    .command("decide")
    .description("print the decision for one policy test case (its expect is ignored)")
    .argument("<case>", "a *.test.yaml case file")
    .option("--json", "print the decision as JSON")
    .addOption(root)
    .addHelpText("after", "\nExit status: 0 with a decision, 2 usage error or unreadable case.")
    .action(async (path: string, opts: { json?: boolean; dir: string }) => {
      const { runDecide } = await import("./commands/decide.js");
      setExit(await runDecide(path, { json: opts.json, root: opts.dir }, o));
    });

  program
    .command("plan")
    .description(
      "print the bindings request files would get if merged now (who, role, where, until when), or with --trust the drift of workload trust",
    )
    .argument("[files...]", "request files (default: every file under access/requests/)")
    .option("--author <login>", "GitHub login of the requester (the PR author); needed without --trust")
    .option("--trust", "compare the clouds' workload trust with policy (needs cloud credentials)")
    .option("--json", "print JSON")
    .addOption(root)
    .addHelpText("after", "\nExit status: 0 ok (no drift), 1 invalid input or drift, 2 usage error.")
    .action(
      async (files: string[], opts: { author?: string; trust?: boolean; json?: boolean; dir: string }) => {
        if (opts.trust) {
          const { runTrust } = await import("./commands/trust.js");
          setExit(await runTrust({ apply: false, json: opts.json, root: opts.dir }, o, process.env));
          return;
        }
        if (!opts.author)
          throw Object.assign(new Error("plan needs --author <login> (or --trust)"), { usage: true });
        const { runPlan } = await import("./commands/plan.js");
        setExit(
          await runPlan(files, { author: opts.author, json: opts.json, root: opts.dir, now: now() }, o),
        );
      },
    );

  program
    .command("apply")
    .description(
      "make the clouds' workload trust (GCP provider conditions and service account bindings, Azure federated credentials) match policy",
    )
    .option("--json", "print JSON")
    .addOption(root)
    .addHelpText(
      "after",
      "\nNeeds cloud credentials: GCP Application Default Credentials, Azure DefaultAzureCredential.",
    )
    .action(async (opts: { json?: boolean; dir: string }) => {
      const { runTrust } = await import("./commands/trust.js");
      setExit(await runTrust({ apply: true, json: opts.json, root: opts.dir }, o, process.env));
    });

  program
    .command("demo")
    .description(
      "run the whole lifecycle on an embedded GitHub and cloud: request, approval, grant, expiry, revert, workload credentials",
    )
    .option("--json", 'print {"ok":...,"steps":[{"name","ok","detail"}]}')
    .addHelpText("after", "\nExit status: 0 when every step held against the simulators' state, 1 otherwise.")
    .action(async (opts: { json?: boolean }) => {
      const { runDemoCommand } = await import("./commands/demo.js");
      setExit(await runDemoCommand(opts, o));
    });

  const repo = new Option("--repo <owner/name>", "the access repository").makeOptionMandatory();
  const apiUrl = new Option("--api-url <url>", "GitHub API URL (GitHub Enterprise Server)").env(
    "GITHUB_API_URL",
  );
  program
    .command("reconcile")
    .description(
      "re-decide every open pull request of the access repository (cron backstop for lost webhooks); needs GITHUB_TOKEN",
    )
    .addOption(repo)
    .addOption(apiUrl)
    .option("--json", "print the report as JSON")
    .action(async (opts: { repo: string; apiUrl?: string; json?: boolean }) => {
      const { runReconcile } = await import("./commands/reconcile.js");
      setExit(await runReconcile(opts, o, process.env, now));
    });

  program
    .command("expire")
    .description(
      "remove expired bindings, open and merge revert PRs, and converge the cloud on Git; needs GITHUB_TOKEN and JITOPS_PROVIDERS",
    )
    .addOption(repo)
    .addOption(apiUrl)
    .option("--json", "print the report as JSON")
    .action(async (opts: { repo: string; apiUrl?: string; json?: boolean }) => {
      const { runExpire } = await import("./commands/expire.js");
      setExit(await runExpire(opts, o, process.env, now));
    });

  return program;
}

/** Runs the CLI with `argv` (as process.argv); resolves to the exit code. */
export async function runCli(argv: string[], o: Output = processOutput(), now?: () => Date): Promise<number> {
  let code = 0;
  const program = buildProgram(o, (c) => (code = c), now);
  try {
    await program.parseAsync(argv);
    return code;
  } catch (e) {
    if (e instanceof CommanderError) {
      if (
        e.code === "commander.helpDisplayed" ||
        e.code === "commander.version" ||
        e.code === "commander.help"
      )
        return 0;
      return 2;
    }
    const err = e as NodeJS.ErrnoException & { usage?: boolean };
    if (err.usage) {
      o.err(`jitops: ${err.message}`);
      return 2;
    }
    o.err(`jitops: ${err.code === "ENOENT" ? `no such file: ${err.path ?? err.message}` : err.message}`);
    return 2;
  }
}
