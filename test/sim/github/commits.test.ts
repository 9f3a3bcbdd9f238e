import type { Octokit } from "@octokit/rest";
import type { GitHubSim } from "@jitops/sim/github";
import { expectMatchesOpenApi } from "./helpers/openapi-schemas.js";
import { expectMatchesWebhookSchema } from "./helpers/webhook-schemas.js";
import { REPO, startSeededSim } from "./helpers/seed.js";

const owner = "acme";
const repo = "access";

describe("GitHub simulator commit history, checked against GitHub's OpenAPI description", () => {
  let sim: GitHubSim;
  let octokit: Octokit;
  let now: Date;

  beforeAll(async () => {
    ({ sim, octokit } = await startSeededSim());
    now = new Date("2026-01-15T10:00:00Z");
    sim.setClock(() => now);
  });
  afterAll(() => sim.stop());

  /** Moves the simulated clock on by some minutes. */
  const tick = (minutes: number): void => {
    now = new Date(now.getTime() + minutes * 60_000);
  };

  test("repos/list-commits follows first parents from the default branch, newest first", async () => {
    tick(1);
    const a = sim.commit(REPO, "main", { files: { "docs/a.md": "a\n" }, author: "alice", message: "a" });
    tick(1);
    const b = sim.commit(REPO, "main", {
      files: { "README.md": "# access\nb\n" },
      author: "bob",
      message: "b",
    });
    const res = await octokit.rest.repos.listCommits({ owner, repo });
    expectMatchesOpenApi("repos/list-commits", 200, res.data);
    expect(res.data.slice(0, 2).map((c) => c.sha)).toEqual([b, a]);
    expect(res.data.at(-1)?.commit.message).toBe("Initial commit");
    expect(res.data[1]).toMatchObject({
      author: { login: "alice", type: "User", id: expect.any(Number) },
      committer: { login: "alice" },
      commit: { author: { name: "Alice", date: "2026-01-15T10:01:00Z" }, message: "a" },
      parents: [{ sha: expect.any(String) }],
    });
    expect(res.data[0]?.commit.committer?.date).toBe("2026-01-15T10:02:00Z");
  });

  test("`path` keeps the commits that changed a file or directory; `sha` picks a branch or commit", async () => {
    tick(1);
    const onBranch = sim.commit(REPO, "topic", { files: { "docs/a.md": "a2\n" }, author: "carol" });
    const readme = await octokit.rest.repos.listCommits({ owner, repo, path: "README.md" });
    expectMatchesOpenApi("repos/list-commits", 200, readme.data);
    expect(readme.data.map((c) => c.commit.message)).toEqual(["b", "Initial commit"]);
    const docs = await octokit.rest.repos.listCommits({ owner, repo, path: "docs", sha: "topic" });
    expect(docs.data.map((c) => c.sha)).toEqual([onBranch, sim.listCommits(REPO, { path: "docs" })[0]?.sha]);
    const bySha = await octokit.rest.repos.listCommits({ owner, repo, sha: onBranch, per_page: 1 });
    expect(bySha.data.map((c) => c.sha)).toEqual([onBranch]);
    const byAuthor = await octokit.rest.repos.listCommits({ owner, repo, author: "bob" });
    expect(byAuthor.data.map((c) => c.commit.message)).toEqual(["b"]);
    const none = await octokit.rest.repos.listCommits({ owner, repo, path: "no/such/file" });
    expect(none.data).toEqual([]);
    await expect(
      octokit.rest.repos.listCommits({ owner, repo, sha: "no-such-branch" }),
    ).rejects.toMatchObject({
      status: 404,
    });
  });

  test("list-commits pages with a Link header", async () => {
    for (let i = 0; i < 5; i++) {
      tick(1);
      sim.commit(REPO, "many", { files: { "n.txt": `${i}\n` }, author: "alice", message: `n${i}` });
    }
    const first = await octokit.rest.repos.listCommits({
      owner,
      repo,
      sha: "many",
      path: "n.txt",
      per_page: 2,
    });
    expect(first.data.map((c) => c.commit.message)).toEqual(["n4", "n3"]);
    expect(first.headers.link).toMatch(/[?&]page=3[^>]*>; rel="last"/);
    const all = await octokit.paginate(octokit.rest.repos.listCommits, {
      owner,
      repo,
      sha: "many",
      path: "n.txt",
      per_page: 2,
    });
    expect(all.map((c) => c.commit.message)).toEqual(["n4", "n3", "n2", "n1", "n0"]);
  });

  test("repos/get-commit lists the files the commit changed", async () => {
    tick(1);
    const sha = sim.commit(REPO, "main", {
      files: { "docs/a.md": null, "docs/b.md": "b\n", "README.md": "# access\nb\nc\n" },
      author: "bob",
    });
    const res = await octokit.rest.repos.getCommit({ owner, repo, ref: sha });
    expectMatchesOpenApi("repos/get-commit", 200, res.data);
    expect(res.data.files?.map((f) => [f.filename, f.status])).toEqual([
      ["README.md", "modified"],
      ["docs/a.md", "removed"],
      ["docs/b.md", "added"],
    ]);
    expect(res.data.stats).toEqual({ additions: 2, deletions: 1, total: 3 });
    const byBranch = await octokit.rest.repos.getCommit({ owner, repo, ref: "main" });
    expect(byBranch.data.sha).toBe(sha);
    const short = await octokit.rest.repos.getCommit({ owner, repo, ref: sha.slice(0, 7) });
    expect(short.data.sha).toBe(sha);
    await expect(octokit.rest.repos.getCommit({ owner, repo, ref: "nope" })).rejects.toMatchObject({
      status: 422,
    });
  });

  test("a squash merge is authored by the pull request's author and dated by the simulated clock", async () => {
    tick(5);
    const n = sim.openPullRequest(REPO, {
      head: "squash-me",
      author: "alice",
      title: "Grant alice",
      files: { "access/requests/alice.yaml": "who: alice\n" },
    });
    tick(1);
    const second = sim.pushToPullRequest(REPO, n, {
      files: { "access/requests/alice.yaml": "who: alice\nfor: 1h\n" },
      author: "alice",
    });
    tick(60);
    const merged = await octokit.rest.pulls.merge({ owner, repo, pull_number: n, merge_method: "squash" });
    expectMatchesOpenApi("pulls/merge", 200, merged.data);
    const pull = await octokit.rest.pulls.get({ owner, repo, pull_number: n });
    expect(pull.data).toMatchObject({
      merged: true,
      merged_at: "2026-01-15T11:15:00Z",
      merge_commit_sha: merged.data.sha,
      merged_by: { login: "jitops[bot]" },
    });
    const c = await octokit.rest.repos.getCommit({ owner, repo, ref: merged.data.sha });
    expect(c.data.author?.login).toBe("alice");
    expect(c.data.committer?.login).toBe("jitops[bot]");
    expect(c.data.commit.message).toBe(`Grant alice (#${n})`);
    expect(c.data.commit.committer?.date).toBe("2026-01-15T11:15:00Z");
    expect(c.data.parents).toHaveLength(1);
    // The merged pull request keeps its commits and files.
    expect(pull.data.commits).toBe(2);
    expect(pull.data.changed_files).toBe(1);

    // Both the squash commit and the pull request's own commits lead back to it.
    const viaMerge = await octokit.rest.repos.listPullRequestsAssociatedWithCommit({
      owner,
      repo,
      commit_sha: merged.data.sha,
    });
    expectMatchesOpenApi("repos/list-pull-requests-associated-with-commit", 200, viaMerge.data);
    expect(viaMerge.data.map((p) => p.number)).toEqual([n]);
    const viaHead = await octokit.rest.repos.listPullRequestsAssociatedWithCommit({
      owner,
      repo,
      commit_sha: second,
    });
    expect(viaHead.data.map((p) => [p.number, p.merged_at])).toEqual([[n, "2026-01-15T11:15:00Z"]]);
    const history = await octokit.rest.repos.listCommits({ owner, repo, path: "access/requests/alice.yaml" });
    expect(history.data.map((x) => [x.sha, x.author?.login])).toEqual([[merged.data.sha, "alice"]]);
  });

  test("the state API merges a squash as the pull request's author; webhooks carry the simulated time", async () => {
    const n = sim.openPullRequest(REPO, {
      head: "squash-2",
      author: "carol",
      title: "Grant carol",
      files: { "access/requests/carol.yaml": "who: carol\n" },
    });
    tick(30);
    const at = now.toISOString().replace(/\.\d{3}Z$/, "Z");
    const sha = sim.mergePullRequest(REPO, n, { by: "bob", method: "squash" });
    const commit = sim.listCommits(REPO)[0];
    expect(commit).toMatchObject({ sha, author: "carol", committer: "bob", date: at });
    expect(sim.getPullRequest(REPO, n)).toMatchObject({ mergedAt: at, mergeCommitSha: sha });
    const closed = sim
      .deliveries()
      .filter((d) => d.event === "pull_request" && d.action === "closed")
      .at(-1);
    expect(closed?.queuedAt).toBe(at);
    const body = JSON.parse(closed?.body ?? "{}") as { pull_request: { merged_at: string } };
    expectMatchesWebhookSchema("pull_request", "closed", body);
    expect(body.pull_request.merged_at).toBe(at);
    const pulls = await octokit.rest.repos.listPullRequestsAssociatedWithCommit({
      owner,
      repo,
      commit_sha: sha,
    });
    expect(pulls.data.map((p) => p.number)).toEqual([n]);
  });

  test("a commit by an email no account has is unlinked: REST author null, push author without username", async () => {
    tick(1);
    const sha = sim.commit(REPO, "unlinked", {
      files: { "u.txt": "u\n" },
      author: { name: "Mallory", email: "mallory@example.com" },
      pusher: "alice",
    });
    sim.createUser("dana", { email: "dana@example.com" });
    const linked = sim.commit(REPO, "unlinked", {
      files: { "u.txt": "u2\n" },
      author: { name: "Dana Laptop", email: "DANA@example.com" },
    });
    const res = await octokit.rest.repos.listCommits({ owner, repo, sha: "unlinked", per_page: 2 });
    expectMatchesOpenApi("repos/list-commits", 200, res.data);
    expect(res.data.map((c) => [c.sha, c.author?.login ?? null, c.commit.author?.email])).toEqual([
      [linked, "dana", "DANA@example.com"],
      [sha, null, "mallory@example.com"],
    ]);
    const one = await octokit.rest.repos.getCommit({ owner, repo, ref: sha });
    expectMatchesOpenApi("repos/get-commit", 200, one.data);
    expect(one.data).toMatchObject({
      author: null,
      committer: null,
      commit: { author: { name: "Mallory" } },
    });
    const push = sim
      .deliveries()
      .filter((d) => d.event === "push")
      .map((d) => JSON.parse(d.body) as { after: string; pusher: { name: string } })
      .find((d) => d.after === sha);
    expectMatchesWebhookSchema("push", null, push);
    expect(push).toMatchObject({
      pusher: { name: "alice" },
      head_commit: { author: { name: "Mallory", email: "mallory@example.com" } },
    });
    expect(sim.listCommits(REPO, { ref: sha })[0]).toMatchObject({
      author: null,
      authorEmail: "mallory@example.com",
    });
  });

  test("an open pull request is found from its head commit; unrelated commits have none", async () => {
    const n = sim.openPullRequest(REPO, {
      head: "open-one",
      author: "bob",
      title: "open",
      files: { "o.txt": "o\n" },
    });
    const head = sim.getPullRequest(REPO, n).headSha;
    const res = await octokit.rest.repos.listPullRequestsAssociatedWithCommit({
      owner,
      repo,
      commit_sha: head,
    });
    expectMatchesOpenApi("repos/list-pull-requests-associated-with-commit", 200, res.data);
    expect(res.data.map((p) => [p.number, p.state])).toEqual([[n, "open"]]);
    const initial = sim.listCommits(REPO).at(-1)?.sha ?? "";
    const none = await octokit.rest.repos.listPullRequestsAssociatedWithCommit({
      owner,
      repo,
      commit_sha: initial,
    });
    expect(none.data).toEqual([]);
  });
});
