import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { commands, runCli } from "../../cli/program.js";
import { captureOutput } from "../fixtures/capture-output.js";
import { POLICY_YAML, REQUEST_YAML } from "../fixtures/policy.js";
import { tempRepo } from "../fixtures/temp-repo.js";
import { CASE_YAML, jitops, REPO } from "./cli-repo.js";

const BAD_REQUEST = REQUEST_YAML.replace("4h", "9h");
const PENDING_CASE = CASE_YAML.replace("entitlement: staging-viewer", "entitlement: prod-db-reader")
  .replace("duration: 1d", "duration: 1h\n          justification: x\n          ticket: INC-1")
  .replace("decision: approved", "decision: pending");
const FAILING_CASE = CASE_YAML.replace("decision: approved", "decision: denied");
const WORKLOADS = `${POLICY_YAML}  workloads:
    - name: api-deploy
      repository: acme/api
      repositoryId: 123456
      ownerId: 7890
      environment: production
      maxLifetime: 15m
      grants:
        - gcp:
            serviceAccount: deployer@acme-prod.iam.gserviceaccount.com
            workloadIdentityProvider: projects/123/locations/global/workloadIdentityPools/github/providers/github
`;

describe("exit status: 0 ok, 1 findings, 2 usage or configuration, 3 runtime; the same for every command", () => {
  let github: Server;
  let api: string;
  beforeAll(async () => {
    // A GitHub that knows no repository: every call is a 404, which is not retried.
    github = createServer((_req, res) => {
      res.writeHead(404, { "content-type": "application/json" });
      res.end(JSON.stringify({ message: "Not Found" }));
    });
    await new Promise<void>((ok) => github.listen(0, "127.0.0.1", ok));
    api = `http://127.0.0.1:${(github.address() as AddressInfo).port}`;
  });
  afterAll(async () => new Promise((ok) => github.close(ok)));

  const remote = (cmd: string) => [cmd, "--repo", "acme/nope", "--api-url", "API"];
  const table: [string, Record<string, string>, string[], NodeJS.ProcessEnv, number][] = [
    ["validate: valid", REPO, ["validate"], {}, 0],
    [
      "validate: an invalid request",
      { ...REPO, "access/requests/alice-prod-db.yaml": BAD_REQUEST },
      ["validate"],
      {},
      1,
    ],
    ["validate: an unknown option", REPO, ["validate", "--frobnicate"], {}, 2],
    ["validate: a bad --default-branch", REPO, ["validate", "--default-branch", "nope"], {}, 2],
    ["test: every case passes", REPO, ["test"], {}, 0],
    ["test: a case fails", { ...REPO, "policies/tests/staging.test.yaml": FAILING_CASE }, ["test"], {}, 1],
    ["test: no cases found", { "policies/test.yaml": POLICY_YAML }, ["test"], {}, 1],
    ["decide: a decision", REPO, ["decide", "policies/tests/staging.test.yaml"], {}, 0],
    [
      "decide: pending, without --exit-code",
      { ...REPO, "policies/tests/p.test.yaml": PENDING_CASE },
      ["decide", "policies/tests/p.test.yaml"],
      {},
      0,
    ],
    [
      "decide --exit-code: pending",
      { ...REPO, "policies/tests/p.test.yaml": PENDING_CASE },
      ["decide", "--exit-code", "policies/tests/p.test.yaml"],
      {},
      1,
    ],
    [
      "decide --exit-code: approved",
      REPO,
      ["decide", "--exit-code", "policies/tests/staging.test.yaml"],
      {},
      0,
    ],
    [
      "decide: an invalid case file",
      { ...REPO, "policies/tests/b.test.yaml": "name: b\n" },
      ["decide", "policies/tests/b.test.yaml"],
      {},
      1,
    ],
    ["decide: no such case", REPO, ["decide", "policies/tests/nope.test.yaml"], {}, 2],
    ["plan: a plan", REPO, ["plan", "--author", "alice"], {}, 0],
    [
      "plan: an invalid request",
      { ...REPO, "access/requests/alice-prod-db.yaml": BAD_REQUEST },
      ["plan", "--author", "alice"],
      {},
      1,
    ],
    ["plan: no --author", REPO, ["plan"], {}, 2],
    ["plan --trust: no workloads in policy", REPO, ["plan", "--trust"], {}, 2],
    [
      "plan --trust --provider azure: no azure workloads",
      { ...REPO, "policies/test.yaml": WORKLOADS },
      ["plan", "--trust", "--provider", "azure"],
      {},
      2,
    ],
    ["apply: no workloads in policy", REPO, ["apply"], {}, 2],
    ["apply --provider aws", REPO, ["apply", "--provider", "aws"], {}, 2],
    ["reconcile: no GITHUB_TOKEN", {}, remote("reconcile"), {}, 2],
    ["reconcile: GitHub fails", {}, remote("reconcile"), { GITHUB_TOKEN: "t" }, 3],
    ["expire: an unknown provider", {}, remote("expire"), { GITHUB_TOKEN: "t", JITOPS_PROVIDERS: "aws" }, 2],
    ["expire: GitHub fails", {}, remote("expire"), { GITHUB_TOKEN: "t", JITOPS_PROVIDERS: "" }, 3],
    ["an unknown command", {}, ["frobnicate"], {}, 2],
  ];

  it.each(table)("%s", async (_name, files, args, env, code) => {
    const repo = tempRepo(files);
    try {
      const r = await jitops(
        repo.root,
        args.map((a) => (a === "API" ? api : a)),
        env,
      );
      expect([r.code, r.err]).toEqual([code, expect.any(String)]);
    } finally {
      repo.remove();
    }
  });

  it.each(table)(
    "with --json, stdout holds exactly one JSON document: %s",
    async (_name, files, args, env, code) => {
      const repo = tempRepo(files);
      try {
        const r = await jitops(repo.root, [...args.map((a) => (a === "API" ? api : a)), "--json"], env);
        expect(r.code).toBe(code);
        expect(r.stdout).toHaveLength(1);
        const doc = JSON.parse(r.stdout[0]!) as { ok?: boolean; error?: { code: string } };
        if (code >= 2)
          expect(doc.error?.code).toEqual(code === 3 ? "runtime" : expect.stringMatching(/^(usage|config)$/));
        if (code === 1 && doc.ok !== undefined) expect(doc.ok).toBe(false);
      } finally {
        repo.remove();
      }
    },
  );

  it("error documents: a usage error, a configuration error with its hint, a runtime failure", async () => {
    const repo = tempRepo(REPO);
    try {
      expect(JSON.parse((await jitops(repo.root, ["validate", "--json", "--frobnicate"])).out)).toEqual({
        ok: false,
        error: { code: "usage", message: "unknown option '--frobnicate'" },
      });
      expect(JSON.parse((await jitops("/", ["validate", "--json"])).out)).toEqual({
        ok: false,
        error: {
          code: "config",
          message: "no policies/ folder found in / or any parent",
          hint: "run from your access repository or pass -C DIR",
        },
      });
      const runtime = await jitops(
        repo.root,
        ["reconcile", "--json", "--repo", "acme/nope", "--api-url", api],
        {
          GITHUB_TOKEN: "t",
        },
      );
      expect(JSON.parse(runtime.out)).toMatchObject({ ok: false, error: { code: "runtime" } });
      expect(JSON.parse(runtime.out).error.message).toMatch(/404|Not Found/);
    } finally {
      repo.remove();
    }
  });

  it("every command's help has an Exit status section saying what 0 means, and 2 and 3", async () => {
    for (const c of commands(captureOutput(), () => new Date(0), {})) {
      const o = captureOutput();
      expect(await runCli(["node", "jitops", c.name, "--help"], { env: {}, output: o })).toBe(0);
      const help = o.stdout.join("\n");
      expect([c.name, /\nExit status:\n {2}0 {2}\S/.test(help)]).toEqual([c.name, true]);
      expect(help).toContain("  2  usage or configuration error");
      expect(help).toContain("  3  runtime failure");
    }
  });
});
