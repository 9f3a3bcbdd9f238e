import { verify } from "@octokit/webhooks-methods";
import type { GitHubSim } from "@jitops/sim/github";
import { expectMatchesWebhookSchema } from "./helpers/webhook-schemas.js";
import { startWebhookReceiver, type Received, type WebhookReceiver } from "./helpers/webhook-receiver.js";
import { REPO, startSeededSim, WEBHOOK_SECRET } from "./helpers/seed.js";

describe("GitHub simulator webhooks", () => {
  let sim: GitHubSim;
  let receiver: WebhookReceiver;

  beforeEach(async () => {
    receiver = await startWebhookReceiver();
    ({ sim } = await startSeededSim(receiver.url));
  });
  afterEach(async () => {
    await sim.stop();
    await receiver.close();
  });

  const got = (event: string, action: string | null): Received[] =>
    receiver.received.filter((r) => r.event === event && r.action === action);

  async function lifecycle(): Promise<number> {
    const n = sim.openPullRequest(REPO, {
      head: "request/alice",
      author: "alice",
      title: "Access",
      files: { "access/requests/alice.yaml": "who: alice\n" },
    });
    sim.pushToPullRequest(REPO, n, {
      files: { "access/requests/alice.yaml": "who: alice\nfor: 1h\n" },
      author: "alice",
    });
    const review = sim.submitReview(REPO, n, { user: "bob", state: "APPROVED" });
    sim.dismissReview(REPO, n, review, { message: "new push", by: "carol" });
    sim.editPullRequest(REPO, n, { title: "Access for alice", by: "alice" });
    sim.requestReviewers(REPO, n, { reviewers: ["carol"], team_reviewers: ["approvers"], by: "jitops[bot]" });
    return n;
  }

  test("payloads match @octokit/webhooks-schemas", async () => {
    const n = await lifecycle();
    const head = sim.branchSha(REPO, "request/alice");
    const { url } = await sim.start();
    const res = await fetch(`${url}/repos/acme/access/check-runs`, {
      method: "POST",
      headers: { authorization: "token x", "content-type": "application/json" },
      body: JSON.stringify({
        name: "jitops/approval",
        head_sha: head,
        conclusion: "failure",
        output: { title: "t", summary: "s" },
      }),
    });
    const run = (await res.json()) as { id: number };
    sim.rerequestCheckRun(REPO, run.id, "alice");
    sim.submitReview(REPO, n, { user: "carol", state: "APPROVED" });
    sim.mergePullRequest(REPO, n, { by: "carol", sha: head });
    await sim.awaitDeliveries();

    const expected: [string, string | null][] = [
      ["pull_request", "opened"],
      ["pull_request", "synchronize"],
      ["pull_request", "edited"],
      ["pull_request", "review_requested"],
      ["pull_request", "closed"],
      ["pull_request_review", "submitted"],
      ["pull_request_review", "dismissed"],
      ["check_run", "rerequested"],
      ["push", null],
    ];
    for (const [event, action] of expected) {
      const deliveries = got(event, action);
      expect(deliveries.length).toBeGreaterThan(0);
      for (const d of deliveries) expectMatchesWebhookSchema(event, action, d.body);
    }
    expect(got("pull_request_review", "submitted")[0]?.body).toMatchObject({
      review: { state: "approved", user: { login: "bob", type: "User" } },
      installation: { id: 1 },
    });
    expect(got("pull_request", "synchronize")[0]?.body).toMatchObject({
      after: sim.getPullRequest(REPO, n).headSha,
    });
    const closed = got("pull_request", "closed")[0]?.body as {
      pull_request: { merged: boolean; merge_commit_sha: string };
    };
    expect(closed.pull_request.merged).toBe(true);
    expect(closed.pull_request.merge_commit_sha).toBe(sim.branchSha(REPO, "main"));
    const mainPush = got("push", null).find((d) => d.body.ref === "refs/heads/main");
    expect(mainPush?.body).toMatchObject({ after: sim.branchSha(REPO, "main"), pusher: { name: "carol" } });
  });

  test("headers: event, delivery id, and an HMAC signature that verifies on the raw body", async () => {
    await lifecycle();
    await sim.awaitDeliveries();
    expect(receiver.received.length).toBeGreaterThan(0);
    for (const d of receiver.received) {
      expect(d.headers["content-type"]).toBe("application/json");
      expect(d.headers["x-github-delivery"]).toMatch(/^[0-9a-f-]{36}$/);
      const signature = String(d.headers["x-hub-signature-256"]);
      expect(signature).toMatch(/^sha256=[0-9a-f]{64}$/);
      expect(await verify(WEBHOOK_SECRET, d.raw, signature)).toBe(true);
      expect(await verify("wrong-secret", d.raw, signature)).toBe(false);
    }
  });

  test("dropNextDelivery drops one matching delivery; redeliver resends it with the same id and body", async () => {
    sim.dropNextDelivery("pull_request_review.submitted");
    const n = sim.openPullRequest(REPO, {
      head: "x",
      author: "alice",
      title: "x",
      files: { "x.yaml": "x\n" },
    });
    sim.submitReview(REPO, n, { user: "bob", state: "APPROVED" });
    sim.submitReview(REPO, n, { user: "carol", state: "COMMENTED" });
    await sim.awaitDeliveries();
    const dropped = sim.deliveries().filter((d) => d.status === "dropped");
    expect(dropped.map((d) => [d.event, d.action])).toEqual([["pull_request_review", "submitted"]]);
    expect(
      got("pull_request_review", "submitted").map(
        (d) => (d.body.review as { user: { login: string } }).user.login,
      ),
    ).toEqual(["carol"]);

    const dropId = dropped[0]?.id ?? "";
    sim.redeliver(dropId);
    sim.redeliver(dropId);
    await sim.awaitDeliveries();
    const again = receiver.received.filter((d) => d.headers["x-github-delivery"] === dropId);
    expect(again).toHaveLength(2);
    expect(again[0]?.raw).toBe(dropped[0]?.body);
    expect(again[1]?.raw).toBe(dropped[0]?.body);
    expect(
      sim
        .deliveries()
        .filter((d) => d.redelivery)
        .every((d) => d.status === "delivered"),
    ).toBe(true);
  });

  test("failed deliveries are logged with their status and are not retried", async () => {
    receiver.status = 500;
    sim.openPullRequest(REPO, { head: "y", author: "alice", title: "y", files: { "y.yaml": "y\n" } });
    await sim.awaitDeliveries();
    const log = sim.deliveries();
    expect(log.every((d) => d.status === "failed" && d.statusCode === 500)).toBe(true);
    expect(receiver.received).toHaveLength(log.length);
  });
});
