import type { GitHubTuning } from "./commands/remote.js";
import { systemClock, type Clock } from "../core/clock.js";
import type { Env } from "../core/env.js";
import { didYouMean } from "./did-you-mean.js";
import {
  commandHelp,
  parseCommand,
  UsageError,
  type CommandInput,
  type CommandSpec,
  type OptionSpec,
} from "./command-spec.js";
import { locateRepo, repoArgs } from "./locate-repo.js";
import { processOutput, type Output } from "./output.js";
import { reportFailure } from "./report-failure.js";

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
  description:
    "run as if started in DIR (like git -C): the repository root is DIR or its nearest parent holding policies/, and relative files are resolved from DIR (default: the working directory)",
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

const defaultBranch: OptionSpec = {
  type: "string",
  value: "ref",
  description:
    "git ref of the default branch: requests unchanged there are already merged, so a start that has passed is not an error (default: the pull request's base in GitHub Actions, else the first of origin/HEAD, origin/main, origin/master, main, master)",
};
const provider: OptionSpec = {
  type: "string",
  value: "cloud",
  description: "only this cloud's trust: gcp or azure (default: every cloud policy names)",
};

const str = (v: string | boolean | undefined) => (typeof v === "string" ? v : undefined);
const flag = (v: string | boolean | undefined) => v === true;
const PROVIDERS = ["gcp", "azure"] as const;

function parseProvider(v: string | undefined): "gcp" | "azure" | undefined {
  if (v === undefined) return undefined;
  if ((PROVIDERS as readonly string[]).includes(v)) return v as "gcp" | "azure";
  throw new UsageError(`--provider ${v} is not accepted; accepted: ${PROVIDERS.join(", ")}`);
}

/**
 * The `jitops` commands. Parsing is `node:util` parseArgs (no dependency to load at start-up);
 * each command's code is imported only when it runs. Local commands find the repository from `cwd`.
 */
export function commands(
  o: Output,
  now: Clock,
  env: Env,
  cwd: string = process.cwd(),
  github: GitHubTuning = {},
): CommandSpec[] {
  const remote = (values: CommandInput["values"]) => remoteOptions(values, github);
  const here = (values: CommandInput["values"]) => locateRepo(cwd, str(values.dir));
  return [
    {
      name: "validate",
      description:
        "validate request files (default: every file under access/requests/) and always the policies under policies/",
      argument: {
        name: "files",
        description:
          "files to check, absolute or relative to the working directory (or -C); each is checked as its path says: request, policy or test case",
        many: true,
        required: false,
      },
      options: { json: json(), dir, "default-branch": defaultBranch },
      exit: {
        ok: "every file checked is valid",
        findings: "findings: a file is invalid, missing, or not a file",
      },
      run: async ({ positionals, values }) => {
        const loc = await here(values);
        const files = positionals.length > 0 ? await repoArgs(loc, positionals) : undefined;
        const { runValidate } = await import("./commands/validate.js");
        const ref = str(values["default-branch"]);
        return runValidate(
          files,
          {
            json: flag(values.json),
            root: loc.root,
            now: now(),
            env,
            ...(ref ? { defaultBranch: ref } : {}),
          },
          o,
        );
      },
    },
    {
      name: "test",
      description:
        "run policy test cases (default: policies/tests); one line per case, then N passed, N failed",
      argument: {
        name: "paths",
        description:
          "case files or folders of *.test.yaml, absolute or relative to the working directory (or -C)",
        many: true,
        required: false,
      },
      options: { json: json(), dir },
      exit: { ok: "every case passes", findings: "findings: a case failed, or is invalid or missing" },
      run: async ({ positionals, values }) => {
        const loc = await here(values);
        const paths = positionals.length > 0 ? await repoArgs(loc, positionals) : undefined;
        const { runTest } = await import("./commands/test.js");
        return runTest(paths, { json: flag(values.json), root: loc.root }, o);
      },
    },
    {
      name: "decide",
      description: "print the decision for one policy test case (its expect is ignored)",
      argument: { name: "case", description: "a *.test.yaml case file", many: false, required: true },
      options: {
        json: json("print the decision as JSON"),
        "exit-code": {
          type: "boolean",
          description: "exit 1 unless the decision is approved (for scripts)",
        },
        dir,
      },
      exit: {
        ok: "a decision was printed (with --exit-code: the decision is approved)",
        findings:
          "findings: the case file is invalid (with --exit-code: also a decision other than approved)",
      },
      run: async ({ positionals, values }) => {
        const loc = await here(values);
        const [path] = await repoArgs(loc, [positionals[0]!]);
        const { runDecide } = await import("./commands/decide.js");
        return runDecide(
          path!,
          { json: flag(values.json), root: loc.root, exitCode: flag(values["exit-code"]) },
          o,
        );
      },
    },
    {
      name: "impact",
      description:
        "show what the policy change in the working tree would change: replay the requests merged on the base within --since under both policies, and diff workload trust",
      options: {
        base: {
          type: "string",
          value: "ref",
          description:
            "git ref of the policy to compare with (default: the first of origin/HEAD, origin/main, origin/master, main, master)",
        },
        since: {
          type: "string",
          value: "duration",
          description: "replay requests merged on the base within this long, e.g. 90d or 14d",
          default: "90d",
        },
        directory: {
          type: "string",
          value: "file",
          description:
            "users and team members, as a policy test case's directory: (without it, eligibility through a team is reported by team name)",
        },
        json: json("print the report as one JSON object"),
        dir,
      },
      exit: {
        ok: "the report was printed and no request or workload would fare differently",
        findings: "some request or workload would fare differently, or a policy is invalid",
      },
      after:
        "Git holds no reviews: each request is replayed with the approvals it would need, not pass or fail. The bot's check run on a policy-change pull request replays with the reviews and open pull requests.",
      run: async ({ values }) => {
        const loc = await here(values);
        const base = str(values.base);
        const directory = str(values.directory);
        const { runImpact } = await import("./commands/impact.js");
        return runImpact(
          {
            root: loc.root,
            from: loc.from,
            since: str(values.since) ?? "90d",
            json: flag(values.json),
            now: now(),
            ...(base ? { base } : {}),
            ...(directory ? { directory } : {}),
          },
          o,
        );
      },
    },
    {
      name: "demo",
      description:
        "run the whole lifecycle on an embedded GitHub and cloud: request, approval, grant, expiry, revert, workload credentials",
      options: { json: json('print {"ok":...,"steps":[{"name","ok","detail"}]}') },
      exit: {
        ok: "every step held against the simulators' state",
        findings: "a step did not hold",
      },
      run: async ({ values }) => {
        const { runDemoCommand } = await import("./commands/demo.js");
        return runDemoCommand({ json: flag(values.json) }, o, now, env);
      },
    },
    {
      name: "plan",
      description:
        "print the bindings request files would get if merged now (who, role, where, until when; the cloud is not read), or with --trust the drift of workload trust",
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
          description:
            "GitHub login of the PR author, the requester of every file planned; a request naming a principal that is not theirs is skipped with a warning (unless its entitlement allows requesting for others). Needed without --trust",
        },
        trust: {
          type: "boolean",
          description: "compare the clouds' workload trust with policy (needs cloud credentials)",
        },
        provider,
        json: json("print JSON"),
        dir,
        "default-branch": defaultBranch,
      },
      exit: {
        ok: "the plan was printed (with --trust: trust matches policy)",
        findings:
          "findings: a request or the policy is invalid, a grant cannot be bound, or (with --trust) drift",
      },
      run: async ({ positionals, values }) => {
        const cloud = parseProvider(str(values.provider));
        if (values.trust) {
          for (const [name, given] of [
            ["--author", values.author !== undefined],
            ["--default-branch", values["default-branch"] !== undefined],
          ] as const)
            if (given)
              throw new UsageError(`${name} does nothing with --trust, which compares workload trust only`);
          if (positionals.length > 0)
            throw new UsageError(
              `plan --trust takes no files (got ${positionals.join(" ")}): it compares every workload in policy`,
            );
          const loc = await here(values);
          const { runTrust } = await import("./commands/trust.js");
          return runTrust(
            {
              apply: false,
              json: flag(values.json),
              root: loc.root,
              now: now(),
              ...(cloud ? { provider: cloud } : {}),
            },
            o,
            env,
          );
        }
        if (cloud) throw new UsageError("--provider applies to plan --trust and to apply");
        const author = str(values.author);
        if (!author) throw new UsageError("plan needs --author <login> (or --trust)");
        const loc = await here(values);
        const files = positionals.length > 0 ? await repoArgs(loc, positionals) : undefined;
        const ref = str(values["default-branch"]);
        const { runPlan } = await import("./commands/plan.js");
        return runPlan(
          files,
          {
            author,
            json: flag(values.json),
            root: loc.root,
            now: now(),
            env,
            ...(ref ? { defaultBranch: ref } : {}),
          },
          o,
        );
      },
    },
    {
      name: "apply",
      description:
        "make the clouds' workload trust (GCP provider conditions and service account bindings, Azure federated credentials) match policy",
      options: { provider, json: json("print JSON"), dir },
      exit: {
        ok: "trust matches policy: every change was applied, or none was needed",
        findings: "findings: the policy is invalid",
      },
      after:
        "Needs cloud credentials: GCP Application Default Credentials, Azure DefaultAzureCredential. A change the cloud refused is a runtime failure (3).",
      run: async ({ values }) => {
        const cloud = parseProvider(str(values.provider));
        const loc = await here(values);
        const { runTrust } = await import("./commands/trust.js");
        return runTrust(
          { apply: true, json: flag(values.json), root: loc.root, ...(cloud ? { provider: cloud } : {}) },
          o,
          env,
        );
      },
    },
    {
      name: "render",
      description:
        "print what a pod workload's pods run as, from policy: render serviceaccount <workload> prints the ServiceAccount (Azure client-id and tenant-id, GKE gcp-service-account annotations) and, off GKE, the GCP credential ConfigMap",
      argument: {
        name: "what",
        description: "serviceaccount, then the name of a workload that runs in Kubernetes",
        many: true,
        required: true,
      },
      options: {
        json: json('print {"ok":true,"workload","cluster","manifests":[...],"podLabels","notes"}'),
        dir,
      },
      exit: {
        ok: "the manifests were printed",
        findings: "findings: the policy is invalid",
      },
      after:
        "Example: jitops render serviceaccount payments-api | kubectl apply -f -. The cluster side comes from the same policy as the trust jitops apply writes.",
      run: async ({ positionals, values }) => {
        const [kind, workload, ...rest] = positionals;
        if (!workload || rest.length > 0)
          throw new UsageError("render takes a kind and a workload: jitops render serviceaccount <workload>");
        const loc = await here(values);
        const { runRender } = await import("./commands/render.js");
        return runRender(kind!, workload, { json: flag(values.json), root: loc.root }, o);
      },
    },
    {
      name: "reconcile",
      description:
        "re-decide every open pull request of the access repository (cron backstop for lost webhooks); needs GITHUB_TOKEN",
      options: { repo, "api-url": apiUrl, json: json("print the report as JSON") },
      exit: { ok: "every open pull request was decided" },
      after: "A pull request that could not be decided (GitHub failed) is a runtime failure (3).",
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
      exit: { ok: "the cloud converged on Git: every change was made" },
      after: "A binding a cloud refused to change, or a GitHub failure, is a runtime failure (3).",
      run: async ({ values }) => {
        const { runExpire } = await import("./commands/expire.js");
        return runExpire(remote(values), o, env, now);
      },
    },
    {
      name: "certify",
      description:
        "open certification pull requests for policies due, remind their reviewers, merge approved ones and report lapses; needs GITHUB_TOKEN",
      options: {
        repo,
        "api-url": apiUrl,
        due: {
          type: "boolean",
          description:
            "only policies that are due: within 14 days of their due date, past it, or never certified (default: every policy under certification)",
        },
        json: json("print the report as JSON"),
      },
      exit: { ok: "every policy under certification was looked at" },
      after:
        "Lifecycle events (certification-opened, -due, -approved, -lapsed) are printed to stderr as JSON lines. A GitHub failure is a runtime failure (3).",
      run: async ({ values }) => {
        const { runCertify } = await import("./commands/certify.js");
        return runCertify({ ...remote(values), due: flag(values.due) }, o, env, now);
      },
    },
    {
      name: "activity",
      description:
        "print what a request's principal did in each grant window, or a workload over a period, from the clouds' audit logs",
      argument: {
        name: "name",
        description: "a request (metadata.name) or a workload of policy",
        many: false,
        required: true,
      },
      options: {
        since: {
          type: "string",
          value: "duration",
          description: "how far back to read, e.g. 30d, 90d (default 30d)",
        },
        author: {
          type: "string",
          value: "login",
          description:
            "GitHub login of the request's author, when its file names no principal and Git's author name is not the login",
        },
        json: json('print {"ok":true,"subject","records":[...]}'),
        dir,
      },
      exit: { ok: "the records were printed" },
      after:
        "Reads Cloud Audit Logs (roles/logging.viewer, and roles/logging.privateLogViewer for Data Access) and the Azure Activity Log (Reader) of the clouds JITOPS_PROVIDERS names (default gcp,azure). A cloud whose log cannot be read is reported in the record, never as no activity.",
      run: async ({ positionals, values }) => {
        const loc = await here(values);
        const { runActivity, activityDepsFromEnv } = await import("./commands/activity.js");
        const since = str(values.since);
        const author = str(values.author);
        return runActivity(
          positionals[0]!,
          {
            json: flag(values.json),
            root: loc.root,
            ...(since ? { since } : {}),
            ...(author ? { author } : {}),
          },
          o,
          now,
          await activityDepsFromEnv(loc.root, env, now),
        );
      },
    },
    {
      name: "rightsize",
      description:
        "compare what an entitlement's recent grants or a workload used with what its roles grant, and propose the smallest role that covers it",
      argument: {
        name: "name",
        description: "an entitlement or a workload of policy",
        many: false,
        required: true,
      },
      options: {
        since: {
          type: "string",
          value: "duration",
          description: "how far back to read, e.g. 30d, 90d (default 90d)",
        },
        author: {
          type: "string",
          value: "login",
          description: "GitHub login to take as the requester of requests whose file names no principal",
        },
        pr: {
          type: "boolean",
          description:
            "open a pull request narrowing the entitlement's role in policies/ (needs --repo and GITHUB_TOKEN)",
        },
        repo: { type: "string", value: "owner/name", description: "the access repository, for --pr" },
        "api-url": apiUrl,
        json: json('print {"ok":true,"subject","proposals":[...]}'),
        dir,
      },
      exit: { ok: "the proposals were printed (with --pr: the pull request was opened)" },
      after:
        "Roles come from IAM roles.get and roles.list (view=FULL) and Azure role definitions, with a small embedded catalogue as candidates when the list cannot be read.",
      run: async ({ positionals, values }) => {
        const loc = await here(values);
        const { runRightsize, rightsizeDepsFromEnv } = await import("./commands/rightsize.js");
        const since = str(values.since);
        const author = str(values.author);
        const repoName = str(values.repo);
        const api = str(values["api-url"]);
        return runRightsize(
          positionals[0]!,
          {
            json: flag(values.json),
            root: loc.root,
            pr: flag(values.pr),
            ...(since ? { since } : {}),
            ...(author ? { author } : {}),
            ...(repoName ? { repo: repoName } : {}),
          },
          o,
          now,
          await rightsizeDepsFromEnv(loc.root, env, now, {
            ...(repoName ? { repo: repoName } : {}),
            ...(api ? { apiUrl: api } : {}),
          }),
        );
      },
    },
  ];
}

function remoteOptions(values: Record<string, string | boolean | undefined>, github: GitHubTuning) {
  const apiUrl = str(values["api-url"]);
  return { repo: str(values.repo)!, json: flag(values.json), ...(apiUrl ? { apiUrl } : {}), github };
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
    "Exit status: 0 ok, 1 findings (invalid files, failed policy tests, drift), 2 usage or",
    "configuration error, 3 runtime failure (GitHub, a cloud, the network).",
    "",
    "Run jitops <command> --help for a command's options.",
  ].join("\n");
}

/** What the CLI runs with; cli/index.ts passes the process's, tests their own (no process.chdir or process.env). */
export interface CliDeps {
  /** The environment: GITHUB_TOKEN, JITOPS_PROVIDERS, NO_COLOR and the like. */
  env: Env;
  /** The clock (default: the machine's). */
  now?: Clock;
  /** Where lines go (default: stdout and stderr, coloured when a terminal and `env` allow). */
  output?: Output;
  /** The working directory (default: process.cwd()). */
  cwd?: string;
  /** How the GitHub client of remote commands paces and retries (default: as against GitHub). */
  github?: GitHubTuning;
}

/**
 * Runs the CLI with `argv` (as process.argv); resolves to the exit status: 0 ok, 1 findings,
 * 2 usage or configuration error, 3 runtime failure. With --json, stdout holds one JSON document.
 */
export async function runCli(argv: string[], deps: CliDeps): Promise<number> {
  const { env } = deps;
  const o = deps.output ?? processOutput(env);
  const list = commands(o, deps.now ?? systemClock, env, deps.cwd ?? process.cwd(), deps.github);
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
      throw new UsageError(
        name === undefined
          ? "no command given"
          : `unknown command '${name}'${didYouMean(
              name,
              list.map((c) => c.name),
            )}`,
      );
    }
    const input = parseCommand(command, args, env);
    if (input === "help") {
      o.out(commandHelp("jitops", command));
      return 0;
    }
    return await command.run(input);
  } catch (e) {
    return reportFailure(
      e,
      { json: args.includes("--json"), ...(command ? { command: command.name } : {}) },
      o,
    );
  }
}
