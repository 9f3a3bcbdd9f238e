import { Octokit } from "@octokit/rest";
import type { GitHubSim } from "@jitops/sim/github";
import { expectMatchesOpenApi } from "./helpers/openapi-schemas.js";
import { REPO, startSeededSim } from "./helpers/seed.js";

const owner = "acme";
const repo = "access";

describe("GitHub simulator REST, driven by @octokit/rest and checked against GitHub's OpenAPI description", () => {
  let sim: GitHubSim;
  let octokit: Octokit;
  let pr: number;

  beforeAll(async () => {
    ({ sim, octokit } = await startSeededSim());
    pr = sim.openPullRequest(REPO, {
      head: "request/alice-prod",
      author: "alice",
      title: "Access for alice",
      body: "please",
      files: {
        "access/requests/alice-prod.yaml": "who: alice\nrole: admin\n",
        "README.md": "# access\nmore\n",
      },
    });
  });
  afterAll(() => sim.stop());

  test("repos/get", async () => {
    const res = await octokit.rest.repos.get({ owner, repo });
    expectMatchesOpenApi("repos/get", 200, res.data);
    expect(res.data.default_branch).toBe("main");
    expect(res.headers["x-ratelimit-limit"]).toBe("5000");
  });

  test("pulls/get and pulls/list", async () => {
    const got = await octokit.rest.pulls.get({ owner, repo, pull_number: pr });
    expectMatchesOpenApi("pulls/get", 200, got.data);
    expect(got.data.head.sha).toBe(sim.branchSha(REPO, "request/alice-prod"));
    expect(got.data.base.sha).toBe(sim.branchSha(REPO, "main"));
    expect(got.data.user.login).toBe("alice");
    expect(got.data.mergeable).toBe(true);
    const list = await octokit.rest.pulls.list({ owner, repo, state: "open" });
    expectMatchesOpenApi("pulls/list", 200, list.data);
    expect(list.data.map((p) => p.number)).toEqual([pr]);
  });

  test("pulls/list-files reports added and modified files with blob shas", async () => {
    const res = await octokit.rest.pulls.listFiles({ owner, repo, pull_number: pr });
    expectMatchesOpenApi("pulls/list-files", 200, res.data);
    expect(res.data.map((f) => [f.filename, f.status])).toEqual([
      ["README.md", "modified"],
      ["access/requests/alice-prod.yaml", "added"],
    ]);
  });

  test("pulls/list-files reports renames and removals", async () => {
    const n = sim.openPullRequest(REPO, {
      head: "rename",
      author: "bob",
      title: "rename",
      files: {
        "policy/policy.yaml": null,
        "policy/main.yaml": "version: 1\nentitlements: []\n",
        "access/requests/.keep": null,
      },
    });
    const res = await octokit.rest.pulls.listFiles({ owner, repo, pull_number: n });
    expectMatchesOpenApi("pulls/list-files", 200, res.data);
    expect(res.data.map((f) => [f.filename, f.status, f.previous_filename])).toEqual([
      ["access/requests/.keep", "removed", undefined],
      ["policy/main.yaml", "renamed", "policy/policy.yaml"],
    ]);
    sim.closePullRequest(REPO, n, "bob");
  });

  test("pulls/list-reviews keeps upper-case states, commit ids and numeric user ids", async () => {
    const head = sim.branchSha(REPO, "request/alice-prod");
    const id = sim.submitReview(REPO, pr, { user: "bob", state: "APPROVED" });
    sim.submitReview(REPO, pr, { user: "carol", state: "CHANGES_REQUESTED", body: "why?" });
    sim.dismissReview(REPO, pr, id, { message: "stale", by: "carol" });
    const res = await octokit.rest.pulls.listReviews({ owner, repo, pull_number: pr });
    expectMatchesOpenApi("pulls/list-reviews", 200, res.data);
    expect(res.data.map((r) => [r.user?.login, r.state, r.commit_id])).toEqual([
      ["bob", "DISMISSED", head],
      ["carol", "CHANGES_REQUESTED", head],
    ]);
    expect(res.data[0]?.user?.id).toEqual(expect.any(Number));
  });

  test("pulls/list-commits names each commit's author", async () => {
    const res = await octokit.rest.pulls.listCommits({ owner, repo, pull_number: pr });
    expectMatchesOpenApi("pulls/list-commits", 200, res.data);
    expect(res.data).toHaveLength(1);
    expect(res.data[0]?.author).toMatchObject({ login: "alice", type: "User" });
    expect(res.data[0]?.commit.author?.name).toBe("Alice");
  });

  test("pulls/request-reviewers", async () => {
    const res = await octokit.rest.pulls.requestReviewers({
      owner,
      repo,
      pull_number: pr,
      reviewers: ["carol"],
      team_reviewers: ["approvers"],
    });
    expectMatchesOpenApi("pulls/request-reviewers", 201, res.data);
    expect(res.data.requested_teams?.map((t) => t.slug)).toEqual(["approvers"]);
    await expect(
      octokit.rest.pulls.requestReviewers({ owner, repo, pull_number: pr, reviewers: ["alice"] }),
    ).rejects.toMatchObject({ status: 422 });
  });

  test("repos/get-content returns base64 files, directory listings and 404", async () => {
    const head = sim.branchSha(REPO, "request/alice-prod");
    const file = await octokit.rest.repos.getContent({
      owner,
      repo,
      path: "access/requests/alice-prod.yaml",
      ref: head,
    });
    expectMatchesOpenApi("repos/get-content", 200, file.data);
    if (Array.isArray(file.data) || file.data.type !== "file") throw new Error("expected a file");
    expect(Buffer.from(file.data.content, "base64").toString("utf8")).toBe("who: alice\nrole: admin\n");
    const dir = await octokit.rest.repos.getContent({ owner, repo, path: "access/requests", ref: head });
    expectMatchesOpenApi("repos/get-content", 200, dir.data);
    expect(Array.isArray(dir.data) && dir.data.map((e) => e.name)).toEqual([".keep", "alice-prod.yaml"]);
    const root = await octokit.rest.repos.getContent({ owner, repo, path: "" });
    expect(Array.isArray(root.data) && root.data.map((e) => [e.name, e.type])).toEqual([
      ["README.md", "file"],
      ["access", "dir"],
      ["policy", "dir"],
    ]);
    await expect(
      octokit.rest.repos.getContent({ owner, repo, path: "access/requests/alice-prod.yaml", ref: "main" }),
    ).rejects.toMatchObject({ status: 404 });
    const raw = await octokit.rest.repos.getContent({
      owner,
      repo,
      path: "README.md",
      mediaType: { format: "raw" },
    });
    expect(raw.data).toBe("# access\n");
  });

  test("git/get-tree lists every path recursively", async () => {
    const res = await octokit.rest.git.getTree({ owner, repo, tree_sha: "main", recursive: "1" });
    expectMatchesOpenApi("git/get-tree", 200, res.data);
    expect(res.data.truncated).toBe(false);
    expect(res.data.tree.map((e) => `${e.type}:${e.path}`)).toEqual([
      "blob:README.md",
      "tree:access",
      "tree:access/requests",
      "blob:access/requests/.keep",
      "tree:policy",
      "blob:policy/policy.yaml",
    ]);
  });

  test("checks/create, checks/update and checks/list-for-ref", async () => {
    const head = sim.branchSha(REPO, "request/alice-prod");
    const created = await octokit.rest.checks.create({
      owner,
      repo,
      name: "jitops/approval",
      head_sha: head,
      status: "in_progress",
    });
    expectMatchesOpenApi("checks/create", 201, created.data);
    expect(created.data.pull_requests.map((p) => p.number)).toEqual([pr]);
    const updated = await octokit.rest.checks.update({
      owner,
      repo,
      check_run_id: created.data.id,
      conclusion: "action_required",
      details_url: "https://example.com/why",
      output: { title: "Needs 1 approval", summary: "| who | ok |", text: "details" },
    });
    expectMatchesOpenApi("checks/update", 200, updated.data);
    expect(updated.data.status).toBe("completed");
    const list = await octokit.rest.checks.listForRef({
      owner,
      repo,
      ref: head,
      check_name: "jitops/approval",
    });
    expectMatchesOpenApi("checks/list-for-ref", 200, list.data);
    expect(list.data.total_count).toBe(1);
    expect(list.data.check_runs[0]?.output.title).toBe("Needs 1 approval");
    expect(sim.getCheckRuns(REPO, head)[0]?.conclusion).toBe("action_required");
    await expect(
      octokit.rest.checks.create({ owner, repo, name: "x", head_sha: head, conclusion: "action_required" }),
    ).rejects.toMatchObject({ status: 422 });
  });

  test("teams/list-members-in-org includes child teams; memberships are active", async () => {
    sim.createUser("dave");
    sim.createTeam("acme", "sre", ["dave"], { parent: "approvers" });
    const res = await octokit.rest.teams.listMembersInOrg({ org: "acme", team_slug: "approvers" });
    expectMatchesOpenApi("teams/list-members-in-org", 200, res.data);
    expect(res.data.map((u) => u.login).sort()).toEqual(["bob", "carol", "dave"]);
    const m = await octokit.rest.teams.getMembershipForUserInOrg({
      org: "acme",
      team_slug: "approvers",
      username: "carol",
    });
    expectMatchesOpenApi("teams/get-membership-for-user-in-org", 200, m.data);
    expect(m.data.state).toBe("active");
    await expect(
      octokit.rest.teams.getMembershipForUserInOrg({
        org: "acme",
        team_slug: "approvers",
        username: "alice",
      }),
    ).rejects.toMatchObject({ status: 404 });
  });

  test("users/get-by-username tells bots from users", async () => {
    const bot = await octokit.rest.users.getByUsername({ username: "jitops[bot]" });
    expectMatchesOpenApi("users/get-by-username", 200, bot.data);
    expect(bot.data.type).toBe("Bot");
    const alice = await octokit.rest.users.getByUsername({ username: "alice" });
    expect(alice.data.type).toBe("User");
  });

  test("issue comments: create, list, update", async () => {
    const created = await octokit.rest.issues.createComment({
      owner,
      repo,
      issue_number: pr,
      body: "granted",
    });
    expectMatchesOpenApi("issues/create-comment", 201, created.data);
    expect(created.data.user?.login).toBe("jitops[bot]");
    const updated = await octokit.rest.issues.updateComment({
      owner,
      repo,
      comment_id: created.data.id,
      body: "granted until 18:00",
    });
    expectMatchesOpenApi("issues/update-comment", 200, updated.data);
    const list = await octokit.rest.issues.listComments({ owner, repo, issue_number: pr });
    expectMatchesOpenApi("issues/list-comments", 200, list.data);
    expect(list.data.map((c) => c.body)).toEqual(["granted until 18:00"]);
    expect(sim.listComments(REPO, pr).map((c) => c.body)).toEqual(["granted until 18:00"]);
  });

  test("issues/create shares numbers with pull requests", async () => {
    const res = await octokit.rest.issues.create({
      owner,
      repo,
      title: "Post-incident review",
      labels: ["break-glass"],
      assignees: ["bob"],
    });
    expectMatchesOpenApi("issues/create", 201, res.data);
    expect(res.data.number).toBeGreaterThan(pr);
    expect(sim.listIssues(REPO).map((i) => i.labels.map((l) => l.name))).toEqual([["break-glass"]]);
  });

  test("statuses, refs, contents writes and pulls/create", async () => {
    const main = sim.branchSha(REPO);
    const status = await octokit.rest.repos.createCommitStatus({
      owner,
      repo,
      sha: main,
      state: "success",
      context: "ci",
    });
    expectMatchesOpenApi("repos/create-commit-status", 201, status.data);
    const ref = await octokit.rest.git.createRef({ owner, repo, ref: "refs/heads/revert-1", sha: main });
    expectMatchesOpenApi("git/create-ref", 201, ref.data);
    const readme = await octokit.rest.repos.getContent({ owner, repo, path: "README.md", ref: "revert-1" });
    if (Array.isArray(readme.data)) throw new Error("expected a file");
    const del = await octokit.rest.repos.deleteFile({
      owner,
      repo,
      path: "README.md",
      branch: "revert-1",
      message: "remove",
      sha: readme.data.sha,
    });
    expectMatchesOpenApi("repos/delete-file", 200, del.data);
    const put = await octokit.rest.repos.createOrUpdateFileContents({
      owner,
      repo,
      path: "docs/new.md",
      branch: "revert-1",
      message: "add",
      content: Buffer.from("hi\n").toString("base64"),
    });
    expectMatchesOpenApi("repos/create-or-update-file-contents", 201, put.data);
    await expect(
      octokit.rest.repos.createOrUpdateFileContents({
        owner,
        repo,
        path: "docs/new.md",
        branch: "revert-1",
        message: "x",
        content: "",
        sha: "0".repeat(40),
      }),
    ).rejects.toMatchObject({ status: 409 });
    const created = await octokit.rest.pulls.create({
      owner,
      repo,
      head: "revert-1",
      base: "main",
      title: "Revert",
    });
    expectMatchesOpenApi("pulls/create", 201, created.data);
    expect(created.data.user.login).toBe("jitops[bot]");
    expect(sim.readFile(REPO, "revert-1", "docs/new.md")).toBe("hi\n");
  });

  test("pulls/merge refuses a moved head (409) and an unmergeable pull request (405), then merges", async () => {
    const n = sim.openPullRequest(REPO, {
      head: "to-merge",
      author: "alice",
      title: "m",
      files: { "a.txt": "a\n" },
    });
    const first = sim.branchSha(REPO, "to-merge");
    sim.pushToPullRequest(REPO, n, { files: { "a.txt": "b\n" }, author: "alice" });
    await expect(octokit.rest.pulls.merge({ owner, repo, pull_number: n, sha: first })).rejects.toMatchObject(
      { status: 409 },
    );
    sim.setMergeable(REPO, n, false);
    const head = sim.branchSha(REPO, "to-merge");
    await expect(octokit.rest.pulls.merge({ owner, repo, pull_number: n, sha: head })).rejects.toMatchObject({
      status: 405,
    });
    sim.setMergeable(REPO, n, undefined);
    const merged = await octokit.rest.pulls.merge({ owner, repo, pull_number: n, sha: head });
    expectMatchesOpenApi("pulls/merge", 200, merged.data);
    expect(sim.branchSha(REPO, "main")).toBe(merged.data.sha);
    expect(sim.readFile(REPO, "main", "a.txt")).toBe("b\n");
    const after = await octokit.rest.pulls.get({ owner, repo, pull_number: n });
    expect(after.data).toMatchObject({ state: "closed", merged: true, merge_commit_sha: merged.data.sha });
  });

  test("a conflicting pull request is not mergeable", async () => {
    const n = sim.openPullRequest(REPO, {
      head: "conflict",
      author: "alice",
      title: "c",
      files: { "README.md": "mine\n" },
    });
    sim.commit(REPO, "main", { files: { "README.md": "theirs\n" }, author: "bob" });
    const got = await octokit.rest.pulls.get({ owner, repo, pull_number: n });
    expect(got.data.mergeable).toBe(false);
    expect(got.data.mergeable_state).toBe("dirty");
  });

  test("app installation endpoints", async () => {
    const inst = await octokit.rest.apps.getRepoInstallation({ owner, repo });
    expectMatchesOpenApi("apps/get-repo-installation", 200, inst.data);
    const token = await octokit.rest.apps.createInstallationAccessToken({ installation_id: inst.data.id });
    expectMatchesOpenApi("apps/create-installation-access-token", 201, token.data);
    expect(token.data.token).toMatch(/^ghs_/);
  });

  test("unknown routes and missing auth answer like GitHub", async () => {
    const res = await fetch(`${sim.url}/repos/acme/access/nope`, { headers: { authorization: "token x" } });
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ message: "Not Found", documentation_url: expect.any(String) });
    const anon = await fetch(`${sim.url}/repos/acme/access`);
    expect(anon.status).toBe(401);
  });

  test("a user token acts as that user", async () => {
    const asAlice = new Octokit({ baseUrl: sim.url, auth: sim.userToken("alice") });
    const c = await asAlice.rest.issues.createComment({ owner, repo, issue_number: pr, body: "thanks" });
    expect(c.data.user?.login).toBe("alice");
  });
});
