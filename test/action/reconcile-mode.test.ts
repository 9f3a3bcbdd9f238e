import { runAction } from "../../action/run.js";
import { ACCESS_REPO, DEMO_TEAMS, DEMO_USERS, exampleBase } from "../../cli/demo/grants-world.js";
import { createGitHubSim, type GitHubSim } from "@jitops/sim/github";
import { recordActionIO } from "../fixtures/record-action-io.js";

// mode: reconcile against the embedded GitHub over HTTP, as a scheduled workflow runs it.

const NOW = new Date("2026-11-24T10:00:00Z");
const TOKEN = "ghs_installationTokenForReconcile";
const request = (
  name: string,
  entitlement: string,
  duration: string,
  extra = "",
) => `apiVersion: jitops.dev/v1
kind: AccessRequest
metadata:
  name: ${name}
spec:
  entitlement: ${entitlement}
  duration: ${duration}
${extra}`;

describe("action mode: reconcile", () => {
  let sim: GitHubSim;
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    sim = createGitHubSim({ clock: () => NOW });
    sim.createOrg("acme", { id: 7890 });
    for (const [login, id] of Object.entries(DEMO_USERS)) sim.createUser(login, { id });
    for (const [slug, members] of Object.entries(DEMO_TEAMS)) sim.createTeam("acme", slug, members);
    const { url } = await sim.start();
    sim.createRepo(ACCESS_REPO, { files: exampleBase(), author: "frank" });
    // What the runner sets: the repository of the workflow and the REST base (GHES sets its own).
    env = {
      GITHUB_REPOSITORY: ACCESS_REPO,
      GITHUB_API_URL: url,
      GITHUB_SERVER_URL: "https://github.example",
    };
  });
  afterAll(async () => sim.stop());
  afterEach(() => sim.clearFaults());

  const run = async (inputs: Record<string, string>, runEnv = env) => {
    const { io, rec } = recordActionIO({ mode: "reconcile", ...inputs });
    await runAction(io, runEnv, () => NOW);
    return rec;
  };

  it("decides the open PRs whose webhooks never arrived, writes their checks and a job summary", async () => {
    const auto = sim.openPullRequest(ACCESS_REPO, {
      head: "alice/staging",
      author: "alice",
      title: "staging",
      files: { "access/requests/alice-staging.yaml": request("alice-staging", "staging-viewer", "1d") },
    });
    const pending = sim.openPullRequest(ACCESS_REPO, {
      head: "alice/prod-db",
      author: "alice",
      title: "prod db",
      files: {
        "access/requests/alice-prod-db.yaml": request(
          "alice-prod-db",
          "prod-db-reader",
          "4h",
          "  justification: replication lag\n  ticket: INC-1\n",
        ),
      },
    });
    const headOf = (n: number) => sim.getPullRequest(ACCESS_REPO, n).headSha;
    // No bot listens: nothing has decided these PRs yet.
    expect([auto, pending].flatMap((n) => sim.getCheckRuns(ACCESS_REPO, headOf(n)))).toEqual([]);

    const rec = await run({ token: TOKEN });

    expect(rec.failed).toBeUndefined();
    const checkOf = (n: number) =>
      sim
        .getCheckRuns(ACCESS_REPO, sim.getPullRequest(ACCESS_REPO, n).headSha)
        .map((c) => [c.name, c.conclusion, c.detailsUrl]);
    // staging-viewer needs no approval and auto-merges; prod-db-reader waits for an SRE.
    expect(checkOf(auto)).toEqual([["jitops/approval", "success", expect.any(String)]]);
    expect(sim.getPullRequest(ACCESS_REPO, auto).merged).toBe(true);
    expect(checkOf(pending)).toEqual([
      ["jitops/approval", "action_required", "https://github.example/acme/access#jitops"],
    ]);
    expect(rec.summaries).toEqual([
      {
        heading: "jitops: reconcile",
        rows: [],
        text: "acme/access: 2 open pull requests, 2 decided, 0 failed",
      },
    ]);
    expect(JSON.parse(rec.outputs.report!)).toEqual({
      repository: "acme/access",
      open: 2,
      decided: 2,
      failed: [],
      deferred: [],
    });
    // Every decision is an audit line on the job log.
    expect(rec.infos.filter((l) => l.startsWith("jitops audit {"))).toHaveLength(2);
    sim.closePullRequest(ACCESS_REPO, pending, "alice");
  });

  it("fails the step, naming the pull request, when one cannot be decided; the others still are", async () => {
    const broken = sim.openPullRequest(ACCESS_REPO, {
      head: "bob/staging",
      author: "bob",
      title: "staging",
      files: { "access/requests/bob-staging.yaml": request("bob-staging", "staging-viewer", "1d") },
    });
    const fine = sim.openPullRequest(ACCESS_REPO, {
      head: "carol/staging",
      author: "carol",
      title: "staging",
      files: { "access/requests/carol-staging.yaml": request("carol-staging", "staging-viewer", "1d") },
    });
    sim.failNext({
      method: "GET",
      // The open-PR list gives each PR's head; its reviews are read per PR.
      path: `/repos/acme/access/pulls/${broken}/reviews`,
      status: 404,
      message: "Not Found",
      times: 5,
    });

    const rec = await run({ token: TOKEN });

    expect(rec.failed).toBe("1 of 2 open pull requests could not be decided");
    expect(sim.getPullRequest(ACCESS_REPO, fine).merged).toBe(true);
    expect(rec.summaries[0]!.text).toBe("acme/access: 2 open pull requests, 1 decided, 1 failed");
    expect(rec.summaries[0]!.rows[0]).toEqual(["Pull request", "Error"]);
    expect(rec.summaries[0]!.rows[1]![0]).toBe(`#${broken}`);
    expect(rec.summaries[0]!.rows[1]![1]).toContain("Not Found");
    sim.closePullRequest(ACCESS_REPO, broken, "bob");
  });

  it("invariant: the token is masked before any request, and no log line or output contains it", async () => {
    const { io, rec } = recordActionIO({ mode: "reconcile", token: TOKEN });
    const record = io.setSecret;
    let callsWhenMasked = -1;
    io.setSecret = (v) => {
      callsWhenMasked = sim.apiCalls();
      record(v);
    };
    const calls = sim.apiCalls();
    await runAction(io, env, () => NOW);
    expect(callsWhenMasked).toBe(calls);
    expect(sim.apiCalls()).toBeGreaterThan(calls);
    expect(rec.secrets).toEqual([TOKEN]);
    const logged = [...rec.infos, ...Object.values(rec.outputs), JSON.stringify(rec.summaries)];
    expect(logged.filter((l) => l.includes(TOKEN))).toEqual([]);
  });

  it("reconciles the repository named by the repository input instead of the workflow's own", async () => {
    sim.createRepo("acme/other-access", { files: exampleBase(), author: "frank" });
    const rec = await run({ token: TOKEN, repository: "acme/other-access" });
    expect(rec.failed).toBeUndefined();
    expect(rec.summaries[0]!.text).toBe("acme/other-access: 0 open pull requests, 0 decided, 0 failed");
  });

  it.each([
    [
      "no token",
      {},
      true,
      "jitops reconcile failed: input token is required in mode reconcile: mint a GitHub App installation token with actions/create-github-app-token (check runs can only be written by an App)",
    ],
    [
      "a repository that is not owner/name",
      { token: TOKEN, repository: "acme" },
      true,
      'jitops reconcile failed: repository "acme" is not owner/name',
    ],
    [
      "no repository at all",
      { token: TOKEN },
      false,
      'jitops reconcile failed: repository "" is not owner/name',
    ],
  ])("%s fails the step with a message naming what is accepted", async (_, inputs, onRunner, message) => {
    // Off a runner (onRunner false) GITHUB_REPOSITORY is not set either.
    const rec = await run(inputs, onRunner ? env : {});
    expect(rec.failed).toBe(message);
  });
});
