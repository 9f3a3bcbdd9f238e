import { Octokit } from "@octokit/rest";
import { retry } from "@octokit/plugin-retry";
import type { GitHubSim } from "@jitops/sim/github";
import { quietLog, REPO, startSeededSim } from "./helpers/seed.js";

const owner = "acme";
const repo = "access";

describe("GitHub simulator pagination, fault injection and call counting", () => {
  let sim: GitHubSim;
  let octokit: Octokit;

  beforeAll(async () => {
    ({ sim, octokit } = await startSeededSim());
  });
  afterAll(() => sim.stop());
  beforeEach(() => sim.clearFaults());

  test("lists page with a Link header, per_page capped at 100", async () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 250; i++) files[`access/requests/r${String(i).padStart(3, "0")}.yaml`] = `n: ${i}\n`;
    const n = sim.openPullRequest(REPO, { head: "many", author: "alice", title: "many", files });

    const first = await octokit.rest.pulls.listFiles({ owner, repo, pull_number: n, per_page: 500 });
    expect(first.data).toHaveLength(100);
    const link = first.headers.link ?? "";
    expect(link).toContain('rel="next"');
    expect(link).toContain('rel="last"');
    expect(link).toMatch(/[?&]page=3[^>]*>; rel="last"/);

    const last = await octokit.rest.pulls.listFiles({ owner, repo, pull_number: n, per_page: 100, page: 3 });
    expect(last.data).toHaveLength(50);
    expect(last.headers.link).toContain('rel="prev"');
    expect(last.headers.link).not.toContain('rel="next"');

    const all = await octokit.paginate(octokit.rest.pulls.listFiles, {
      owner,
      repo,
      pull_number: n,
      per_page: 100,
    });
    expect(all.map((f) => f.filename)).toEqual(Object.keys(files));
  });

  test("failNext answers 502 the given number of times; the retry plugin gets through", async () => {
    sim.failNext({ method: "GET", path: "/repos/{owner}/{repo}/pulls/{pull_number}", status: 502, times: 2 });
    const n = sim.openPullRequest(REPO, {
      head: "f1",
      author: "alice",
      title: "f",
      files: { "f.yaml": "f\n" },
    });
    await expect(octokit.rest.pulls.get({ owner, repo, pull_number: n })).rejects.toMatchObject({
      status: 502,
    });

    const Retrying = Octokit.plugin(retry);
    const retrying = new Retrying({
      baseUrl: sim.url,
      auth: "x",
      log: quietLog,
      request: { retries: 2, retryAfter: 0 },
    });
    sim.resetApiCalls();
    const res = await retrying.rest.pulls.get({ owner, repo, pull_number: n });
    expect(res.status).toBe(200);
    expect(sim.apiCallLog().map((c) => c.status)).toEqual([502, 200]);
  });

  test("failNext answers a 403 secondary rate limit with retry-after; regex paths match", async () => {
    sim.failNext({ path: /\/check-runs$/, status: 403, retryAfter: 7 });
    const err = await octokit.rest.checks
      .create({ owner, repo, name: "jitops/approval", head_sha: sim.branchSha(REPO) })
      .catch(
        (e: unknown) =>
          e as { status: number; response: { headers: Record<string, string>; data: { message: string } } },
      );
    expect(err).toMatchObject({ status: 403 });
    if (!("response" in err)) throw new Error("expected an error");
    expect(err.response.headers["retry-after"]).toBe("7");
    expect(err.response.data.message).toMatch(/secondary rate limit/);
    const ok = await octokit.rest.checks.create({
      owner,
      repo,
      name: "jitops/approval",
      head_sha: sim.branchSha(REPO),
    });
    expect(ok.status).toBe(201);
  });

  test("hideHeadSha keeps GET pulls/{n} on the previous head until revealed", async () => {
    const n = sim.openPullRequest(REPO, {
      head: "lag",
      author: "alice",
      title: "lag",
      files: { "l.yaml": "1\n" },
    });
    const before = sim.branchSha(REPO, "lag");
    const after = sim.pushToPullRequest(REPO, n, { files: { "l.yaml": "2\n" }, author: "alice" });
    sim.hideHeadSha(REPO, n);
    expect((await octokit.rest.pulls.get({ owner, repo, pull_number: n })).data.head.sha).toBe(before);
    expect(sim.getPullRequest(REPO, n).headSha).toBe(after);
    sim.revealHeadSha(REPO, n);
    expect((await octokit.rest.pulls.get({ owner, repo, pull_number: n })).data.head.sha).toBe(after);
  });

  test("every REST call is counted with its route template and status", async () => {
    sim.resetApiCalls();
    expect(sim.apiCalls()).toBe(0);
    await octokit.rest.repos.get({ owner, repo });
    await octokit.rest.pulls.list({ owner, repo });
    await octokit.request("GET /nope").catch(() => undefined);
    expect(sim.apiCalls()).toBe(3);
    expect(sim.apiCallLog().map((c) => `${c.method} ${c.route} ${c.status}`)).toEqual([
      "GET /repos/{owner}/{repo} 200",
      "GET /repos/{owner}/{repo}/pulls 200",
      "GET unknown 404",
    ]);
    const res = await octokit.rest.repos.get({ owner, repo });
    const used = Number(res.headers["x-ratelimit-used"]);
    expect(used).toBeGreaterThan(4);
    expect(Number(res.headers["x-ratelimit-remaining"])).toBe(5000 - used);
  });
});
