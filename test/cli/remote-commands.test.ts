import { runCli } from "../../cli/program.js";
import type { Env } from "../../core/env.js";
import { ACCESS_REPO, DEMO_TEAMS, DEMO_USERS, exampleBase } from "../../cli/demo/grants-world.js";
import { createGitHubSim, type GitHubSim } from "@jitops/sim/github";
import { captureOutput } from "../fixtures/capture-output.js";

const NOW = new Date("2026-11-24T10:00:00Z");
const REQUEST = `apiVersion: jitops.dev/v1
kind: AccessRequest
metadata:
  name: alice-staging
spec:
  entitlement: staging-viewer
  duration: 1d
`;

describe("jitops reconcile, expire and plan", () => {
  let sim: GitHubSim;
  let url: string;
  let clock = NOW;

  beforeAll(async () => {
    sim = createGitHubSim({ clock: () => clock });
    sim.createOrg("acme", { id: 7890 });
    for (const [login, id] of Object.entries(DEMO_USERS)) sim.createUser(login, { id });
    for (const [slug, members] of Object.entries(DEMO_TEAMS)) sim.createTeam("acme", slug, members);
    ({ url } = await sim.start());
    sim.createRepo(ACCESS_REPO, { files: exampleBase(), author: "frank" });
  });
  afterAll(async () => sim.stop());

  async function run(args: string[], env: Env = { GITHUB_TOKEN: "t" }) {
    const o = captureOutput();
    // Against the simulator, writes need not wait for GitHub's pacing (one a second).
    const code = await runCli(["node", "jitops", ...args], {
      env,
      output: o,
      now: () => clock,
      github: { pacing: false },
    });
    return { code, out: o.stdout.join("\n"), err: o.stderr.join("\n") };
  }

  it("reconcile decides an open PR whose webhook never arrived and writes its check", async () => {
    const n = sim.openPullRequest(ACCESS_REPO, {
      head: "alice/staging",
      author: "alice",
      title: "t",
      files: { "access/requests/alice-staging.yaml": REQUEST },
    });
    const r = await run(["reconcile", "--repo", ACCESS_REPO, "--api-url", url]);
    expect(r).toMatchObject({ code: 0, out: "acme/access: 1 open pull requests, 1 decided, 0 failed" });
    const head = sim.getPullRequest(ACCESS_REPO, n).headSha;
    // staging-viewer needs no approval and auto-merges.
    expect(sim.getCheckRuns(ACCESS_REPO, head).map((c) => [c.name, c.conclusion])).toEqual([
      ["jitops/approval", "success"],
    ]);
    expect(sim.getPullRequest(ACCESS_REPO, n).merged).toBe(true);
  });

  it("expire reverts the expired request with a merged revert PR, and a second run changes nothing", async () => {
    clock = new Date(NOW.getTime() + 25 * 3600_000);
    const r = await run(["expire", "--repo", ACCESS_REPO, "--api-url", url], {
      GITHUB_TOKEN: "t",
      JITOPS_PROVIDERS: "",
    });
    expect(r.code).toBe(0);
    expect(r.out).toContain("revert alice-staging: #2 merged");
    expect(
      sim.readFile(ACCESS_REPO, sim.branchSha(ACCESS_REPO), "access/requests/alice-staging.yaml"),
    ).toBeUndefined();
    const again = await run(["expire", "--repo", ACCESS_REPO, "--api-url", url], {
      GITHUB_TOKEN: "t",
      JITOPS_PROVIDERS: "",
    });
    expect(again.out).toMatch(/0 added, 0 extended, 0 removed, 0 reverts/);
  });

  it.each([
    [["reconcile", "--repo", "not-a-repo"], { GITHUB_TOKEN: "t" }, '--repo "not-a-repo" is not owner/name'],
    [
      ["reconcile", "--repo", ACCESS_REPO],
      { GITHUB_TOKEN: undefined, GH_TOKEN: undefined },
      "GITHUB_TOKEN is not set",
    ],
    [
      ["expire", "--repo", ACCESS_REPO],
      { GITHUB_TOKEN: "t", JITOPS_PROVIDERS: "aws" },
      "JITOPS_PROVIDERS names unknown providers: aws; accepted: gcp, azure, kubernetes",
    ],
    [["reconcile"], {}, "required option '--repo <owner/name>' not specified"],
    [["plan"], {}, "plan needs --author <login> (or --trust)"],
  ])("%j exits 2 with a clear message", async (args, env, message) => {
    const r = await run(args as string[], env as Env);
    expect(r.code).toBe(2);
    expect(r.err).toContain(message);
  });

  it("plan prints who gets what, where and until when", async () => {
    clock = NOW;
    const r = await run(["plan", "--author", "alice", "-C", "."]);
    expect(r.code).toBe(0);
    expect(r.out).toContain(
      "| grant | alice (`user:alice@acme.example`) | roles/cloudsql.viewer on projects/acme-prod (gcp) | 2026-11-24T14:00:00Z (in 4h) |",
    );
  });
});
