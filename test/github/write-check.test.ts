import type { Octokit } from "@octokit/rest";
import type { GitHubSim } from "@jitops/sim/github";
import { GitHubCaches, gitHubSession, type GitHubSession } from "../../github/github-caches.js";
import { writeCheck } from "../../github/write-check.js";
import { startSeededSim } from "../sim/github/helpers/seed.js";

// Two replicas decide the same head; the one whose reads failed writes its fail-closed check late.
// That late write must not replace the decision the other replica made from newer reads.

const r = { owner: "acme", repo: "access" };
const DETAILS = "https://example.com/runbook";
const approved = { conclusion: "success" as const, title: "Approved", summary: "bob approved" };
const couldNot = { conclusion: "action_required" as const, title: "Could not decide yet", summary: "500" };

describe("writeCheck", () => {
  let sim: GitHubSim;
  let gh: Octokit;
  let sha: string;
  // One bot instance's session: its caches are its own.
  let s: GitHubSession;
  beforeEach(async () => {
    ({ sim, octokit: gh } = await startSeededSim());
    s = gitHubSession(gh, new GitHubCaches());
    sha = (await gh.request("GET /repos/{owner}/{repo}/commits/{ref}", { ...r, ref: "main" })).data.sha;
  });
  afterEach(() => sim.stop());

  const runs = async () =>
    (await gh.request("GET /repos/{owner}/{repo}/commits/{ref}/check-runs", { ...r, ref: sha })).data
      .check_runs;

  it("invariant: a late fail-closed write never replaces a decision made from newer reads", async () => {
    const t0 = new Date("2026-01-15T10:00:00Z");
    const t1 = new Date("2026-01-15T10:00:05Z");
    // Replica B read at t1 and approved; replica A began reading at t0, failed, and writes late.
    await writeCheck(s, r, sha, approved, DETAILS, { decidedAt: t1 });
    await writeCheck(s, r, sha, couldNot, DETAILS, { decidedAt: t0, fresh: true });
    const now = await runs();
    expect(now).toHaveLength(1);
    expect(now[0]).toMatchObject({
      conclusion: "success",
      external_id: "jitops:decided-at:2026-01-15T10:00:05.000Z",
    });
  });

  it("a decision from newer reads replaces an older one, on the same check run", async () => {
    const t0 = new Date("2026-01-15T10:00:00Z");
    const t1 = new Date("2026-01-15T10:00:05Z");
    // fresh: read what is on GitHub, as a late write does.
    await writeCheck(s, r, sha, couldNot, DETAILS, { decidedAt: t0, fresh: true });
    await writeCheck(s, r, sha, approved, DETAILS, { decidedAt: t1, fresh: true });
    const now = await runs();
    expect(now).toHaveLength(1);
    expect(now[0]).toMatchObject({
      conclusion: "success",
      output: expect.objectContaining({ title: "Approved" }),
    });
  });
});
