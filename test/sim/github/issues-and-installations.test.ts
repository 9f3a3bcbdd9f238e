import { Octokit } from "@octokit/rest";
import type { GitHubSim } from "@jitops/sim/github";
import { expectMatchesOpenApi } from "./helpers/openapi-schemas.js";
import { expectMatchesWebhookSchema } from "./helpers/webhook-schemas.js";
import { startWebhookReceiver, type WebhookReceiver } from "./helpers/webhook-receiver.js";
import { quietLog, REPO, startSeededSim } from "./helpers/seed.js";

const owner = "acme";
const repo = "access";

describe("GitHub simulator issues: create with labels and assignees, list, close; issues webhooks", () => {
  let sim: GitHubSim;
  let octokit: Octokit;
  let receiver: WebhookReceiver;

  beforeAll(async () => {
    receiver = await startWebhookReceiver();
    ({ sim, octokit } = await startSeededSim(receiver.url));
  });
  afterAll(async () => {
    await sim.stop();
    await receiver.close();
  });

  test("issues/create, issues/list-for-repo by labels and state, issues/update closes", async () => {
    const created = await octokit.rest.issues.create({
      owner,
      repo,
      title: "Break-glass: alice prod",
      body: "review please",
      labels: ["break-glass", "jitops"],
      assignees: ["bob", "carol"],
    });
    expectMatchesOpenApi("issues/create", 201, created.data);
    expect(created.data.labels.map((l) => (typeof l === "string" ? l : l.name))).toEqual([
      "break-glass",
      "jitops",
    ]);
    expect(created.data.assignees?.map((a) => a.login)).toEqual(["bob", "carol"]);
    const other = await octokit.rest.issues.create({ owner, repo, title: "Unrelated", labels: ["jitops"] });
    const pr = sim.openPullRequest(REPO, {
      head: "labelled",
      author: "alice",
      title: "labelled pr",
      files: { "x.txt": "x\n" },
    });
    sim.addLabels(REPO, pr, ["break-glass"]);

    const open = await octokit.rest.issues.listForRepo({ owner, repo, labels: "break-glass,jitops" });
    expectMatchesOpenApi("issues/list-for-repo", 200, open.data);
    expect(open.data.map((i) => i.number)).toEqual([created.data.number]);
    // Pull requests are listed too, marked with `pull_request`, like GitHub does.
    const glass = await octokit.rest.issues.listForRepo({ owner, repo, labels: "break-glass" });
    expectMatchesOpenApi("issues/list-for-repo", 200, glass.data);
    expect(glass.data.map((i) => [i.number, i.pull_request !== undefined])).toEqual([
      [pr, true],
      [created.data.number, false],
    ]);
    const byAssignee = await octokit.rest.issues.listForRepo({ owner, repo, assignee: "carol" });
    expect(byAssignee.data.map((i) => i.number)).toEqual([created.data.number]);

    const closed = await octokit.rest.issues.update({
      owner,
      repo,
      issue_number: created.data.number,
      state: "closed",
    });
    expectMatchesOpenApi("issues/update", 200, closed.data);
    expect(closed.data).toMatchObject({
      state: "closed",
      state_reason: "completed",
      closed_at: expect.any(String),
    });
    const stillOpen = await octokit.rest.issues.listForRepo({ owner, repo, labels: "jitops" });
    expect(stillOpen.data.map((i) => i.number)).toEqual([other.data.number]);
    const closedList = await octokit.rest.issues.listForRepo({
      owner,
      repo,
      labels: "jitops",
      state: "closed",
    });
    expect(closedList.data.map((i) => i.number)).toEqual([created.data.number]);
    const all = await octokit.rest.issues.listForRepo({ owner, repo, labels: "jitops", state: "all" });
    expect(all.data.map((i) => i.number)).toEqual([other.data.number, created.data.number]);
    const got = await octokit.rest.issues.get({ owner, repo, issue_number: created.data.number });
    expectMatchesOpenApi("issues/get", 200, got.data);
    expect(got.data.state).toBe("closed");
    expect(sim.listIssues(REPO).find((i) => i.number === created.data.number)?.state).toBe("closed");

    // A pull request's issue view, and closing a pull request through the issues API.
    const prIssue = await octokit.rest.issues.get({ owner, repo, issue_number: pr });
    expectMatchesOpenApi("issues/get", 200, prIssue.data);
    expect(prIssue.data.pull_request?.url).toMatch(new RegExp(`/pulls/${pr}$`));
    await octokit.rest.issues.update({ owner, repo, issue_number: pr, state: "closed" });
    expect(sim.getPullRequest(REPO, pr).state).toBe("closed");

    await expect(
      octokit.rest.issues.create({ owner, repo, title: "x", assignees: ["nobody"] }),
    ).rejects.toMatchObject({ status: 422 });
    await expect(
      octokit.rest.issues.update({ owner, repo, issue_number: 9999, state: "closed" }),
    ).rejects.toMatchObject({ status: 404 });
  });

  test("issues.opened, issues.closed and issues.reopened webhooks match @octokit/webhooks-schemas", async () => {
    const n = sim.createIssue(REPO, {
      title: "Audit",
      labels: ["audit"],
      assignees: ["bob"],
      author: "alice",
    });
    sim.closeIssue(REPO, n, "bob", "not_planned");
    sim.reopenIssue(REPO, n, "alice");
    await sim.awaitDeliveries();
    const issues = receiver.received.filter(
      (d) => d.event === "issues" && (d.body.issue as { number: number }).number === n,
    );
    expect(issues.map((d) => d.action)).toEqual(["opened", "closed", "reopened"]);
    for (const d of issues) expectMatchesWebhookSchema("issues", d.action, d.body);
    expect(issues[0]?.body).toMatchObject({
      issue: { user: { login: "alice" }, labels: [{ name: "audit" }], assignees: [{ login: "bob" }] },
      sender: { login: "alice" },
      installation: { id: sim.appInfo.installationId },
    });
    expect(issues[1]?.body).toMatchObject({ issue: { state: "closed", state_reason: "not_planned" } });
    // REST-created issues announce themselves too, sent by the app's bot.
    const opened = receiver.received.filter((d) => d.event === "issues" && d.action === "opened");
    expect(opened[0]?.body).toMatchObject({ sender: { login: "jitops[bot]", type: "Bot" } });
  });
});

describe("GitHub simulator app installations", () => {
  let sim: GitHubSim;
  let octokit: Octokit;

  beforeAll(async () => {
    ({ sim, octokit } = await startSeededSim());
    sim.createOrg("globex");
    sim.createRepo("globex/infra");
    sim.createRepo("globex/policy");
    sim.createRepo("acme/other");
  });
  afterAll(() => sim.stop());

  test("apps/list-installations has one installation per account that owns repositories", async () => {
    const res = await octokit.rest.apps.listInstallations();
    // The list operation inlines `account` as allOf [simple-user, enterprise], which no user or
    // organisation satisfies; each item is checked against the `installation` component instead.
    for (const inst of res.data) expectMatchesOpenApi("apps/get-installation", 200, inst);
    expect(res.data.map((i) => [i.id, i.account && "login" in i.account ? i.account.login : null])).toEqual([
      [1, "acme"],
      [2, "globex"],
    ]);
    expect(sim.installations().map((i) => i.account)).toEqual(["acme", "globex"]);
    const one = await octokit.rest.apps.getInstallation({ installation_id: 2 });
    expectMatchesOpenApi("apps/get-installation", 200, one.data);
    const byRepo = await octokit.rest.apps.getRepoInstallation({ owner: "globex", repo: "infra" });
    expect(byRepo.data.id).toBe(2);
    const byOrg = await octokit.rest.apps.getOrgInstallation({ org: "globex" });
    expectMatchesOpenApi("apps/get-org-installation", 200, byOrg.data);
    await expect(octokit.rest.apps.getInstallation({ installation_id: 99 })).rejects.toMatchObject({
      status: 404,
    });
  });

  test("apps/list-repos-accessible-to-installation lists the token's installation's repositories", async () => {
    const token = await octokit.rest.apps.createInstallationAccessToken({ installation_id: 2 });
    const asGlobex = new Octokit({ baseUrl: sim.url, auth: token.data.token, log: quietLog });
    const res = await asGlobex.rest.apps.listReposAccessibleToInstallation();
    expectMatchesOpenApi("apps/list-repos-accessible-to-installation", 200, res.data);
    expect(res.data.total_count).toBe(2);
    expect(res.data.repositories.map((r) => r.full_name)).toEqual(["globex/infra", "globex/policy"]);
    const paged = await asGlobex.paginate(asGlobex.rest.apps.listReposAccessibleToInstallation, {
      per_page: 1,
    });
    expect(paged.map((r) => r.full_name)).toEqual(["globex/infra", "globex/policy"]);
    // Other tokens act for the first installation.
    const acme = await octokit.rest.apps.listReposAccessibleToInstallation();
    expect(acme.data.repositories.map((r) => r.full_name)).toEqual(["acme/access", "acme/other"]);
  });

  test("webhooks of a repository carry its account's installation", () => {
    sim.commit("globex/infra", "main", { files: { "a.txt": "a\n" }, author: "alice" });
    const push = sim.deliveries().at(-1);
    expect(JSON.parse(push?.body ?? "{}")).toMatchObject({ installation: { id: 2 } });
  });
});
