import { createBotServer } from "../../bot/server.js";
import type { SimCheckRun } from "@jitops/sim/github";
import {
  ALICE_PROD_DB,
  ALICE_STAGING,
  CAROL_DB_ADMIN,
  NOW,
  SECRET,
  startWorld,
  type World,
} from "./helpers/example-org.js";

// The real jitops Probot app, over HTTP, against the embedded GitHub seeded with the example organisation.

/** Comments other than the sticky plan comment (which every request PR gets). */
function botRemarks<T extends { body: string }>(comments: T[]): T[] {
  return comments.filter((c) => !c.body.startsWith("<!-- jitops:plan -->"));
}

describe("the jitops bot against the GitHub simulator", () => {
  let w: World;

  beforeAll(async () => {
    w = await startWorld();
  });
  afterAll(async () => {
    await w.stop();
  });

  /** The one `jitops/approval` check on `sha`: there is never a second. */
  const only = (repo: string, sha: string): SimCheckRun => {
    const runs = w.checks(repo, sha);
    expect(runs).toHaveLength(1);
    return runs[0]!;
  };
  const conclusion = (repo: string, sha: string) => only(repo, sha).conclusion;
  const settle = () => w.sim.awaitDeliveries();
  const lastDelivery = (event: string) =>
    w.sim
      .deliveries()
      .filter((d) => d.event === event)
      .at(-1)!;
  /** The first delivery of `event.action` about `repo`. */
  const deliveryOf = (repo: string, event: string, action: string) =>
    w.sim
      .deliveries()
      .find((d) => d.event === event && d.action === action && d.body.includes(`"full_name":"${repo}"`))!;

  test("approvals count only on the head commit, and a dismissal takes them back", async () => {
    const repo = w.repo("head-commit");
    const { n, head: c1 } = w.openRequest(repo, "carol-prod-db-admin", CAROL_DB_ADMIN, "carol");
    await settle();
    const opened = only(repo, c1);
    expect(opened).toMatchObject({ conclusion: "action_required", status: "completed" });
    expect(opened.output.title).toBe("Approval pending");
    expect(opened.output.summary).toContain("**Decision: pending**");
    expect(opened.output.summary).toContain("@acme/sre");
    expect(opened.detailsUrl).toMatch(/^https:\/\//);

    w.sim.submitReview(repo, n, { user: "bob", state: "APPROVED" });
    await settle();
    expect(conclusion(repo, c1)).toBe("success");

    const c2 = w.sim.pushToPullRequest(repo, n, {
      files: { "access/requests/carol-prod-db-admin.yaml": CAROL_DB_ADMIN.replace("1h", "2h") },
      author: "carol",
    });
    await settle();
    expect(conclusion(repo, c2)).toBe("action_required");
    expect(only(repo, c2).output.summary).toContain(c2.slice(0, 12));

    // dave (a code owner) approves the old commit: it counts for nothing on the new head.
    w.sim.submitReview(repo, n, { user: "dave", state: "APPROVED", commit_id: c1 });
    await settle();
    expect(conclusion(repo, c2)).toBe("action_required");

    const review = w.sim.submitReview(repo, n, { user: "bob", state: "APPROVED" });
    await settle();
    const approved = only(repo, c2);
    expect(approved.conclusion).toBe("success");
    expect(approved.output.title).toBe("Approved");
    expect(approved.output.summary).toMatch(/\| sre \| 1 \| 1 \| bob \|/);
    expect(w.sim.getPullRequest(repo, n).merged).toBe(false);

    w.sim.dismissReview(repo, n, review, { message: "wrong ticket", by: "frank" });
    await settle();
    expect(conclusion(repo, c2)).toBe("action_required");
    expect(only(repo, c1).conclusion).toBe("success");
  });

  test("a bot's approval never counts, even from a member of the approving team", async () => {
    const repo = w.repo("bot-approval");
    const { n, head } = w.openRequest(repo, "alice-prod-db", ALICE_PROD_DB);
    w.sim.submitReview(repo, n, { user: "renovate[bot]", state: "APPROVED" });
    await settle();
    expect(conclusion(repo, head)).toBe("action_required");
    expect(w.audit.filter((e) => e.repository === repo).map((e) => e.decision)).toEqual([
      "pending",
      "pending",
    ]);
  });

  test("a request mixed with a policy change fails, whatever the approvals", async () => {
    const repo = w.repo("policy-change");
    const policy = w.sim.readFile(repo, "main", "policies/production.yaml")!;
    const n = w.sim.openPullRequest(repo, {
      head: "sneaky",
      author: "alice",
      title: "access",
      files: {
        "policies/production.yaml": policy.replace(
          "eligible: {teams: [acme/sre]}",
          "eligible: {teams: [acme/sre], users: [alice]}",
        ),
        "access/requests/alice-prod-db.yaml": ALICE_PROD_DB,
      },
    });
    const head = w.sim.getPullRequest(repo, n).headSha;
    for (const user of ["bob", "frank", "grace"]) w.sim.submitReview(repo, n, { user, state: "APPROVED" });
    await settle();
    const run = only(repo, head);
    expect(run.conclusion).toBe("failure");
    expect(run.output.title).toBe("Denied");
    expect(run.output.summary).toContain("a request is mixed with a policy change");
  });

  test("changes requested by someone who could approve fail the check", async () => {
    const repo = w.repo("changes-requested");
    const { n, head } = w.openRequest(repo, "carol-prod-db-admin", CAROL_DB_ADMIN, "carol");
    w.sim.submitReview(repo, n, { user: "bob", state: "APPROVED" });
    await settle();
    expect(conclusion(repo, head)).toBe("success");
    // dave is a code owner of access/requests/: he could count, so his objection holds.
    w.sim.submitReview(repo, n, { user: "dave", state: "CHANGES_REQUESTED" });
    await settle();
    const run = only(repo, head);
    expect(run.conclusion).toBe("failure");
    expect(run.output.summary).toContain("changes requested by dave");
  });

  test("the bot requests reviews from the teams that can approve", async () => {
    const repo = w.repo("request-reviews");
    const reader = w.openRequest(repo, "alice-prod-db", ALICE_PROD_DB);
    const admin = w.openRequest(repo, "carol-prod-db-admin", CAROL_DB_ADMIN, "carol");
    await settle();
    expect(w.sim.getPullRequest(repo, reader.n).requestedTeams).toEqual(["sre"]);
    // prod-db-admin: one SRE and one code owner of access/requests/ (@acme/sre @acme/db-owners).
    expect(w.sim.getPullRequest(repo, admin.n).requestedTeams).toEqual(["db-owners", "sre"]);
    expect(conclusion(repo, admin.head)).toBe("action_required");
  });

  test("every decision is audited once, with numeric approver ids and the delivery it answered", async () => {
    const repo = w.repo("audit");
    const { n, head } = w.openRequest(repo, "carol-prod-db-admin", CAROL_DB_ADMIN, "carol");
    await settle();
    const openedId = deliveryOf(repo, "pull_request", "opened").id;
    w.sim.submitReview(repo, n, { user: "bob", state: "APPROVED" });
    await settle();
    const reviewId = deliveryOf(repo, "pull_request_review", "submitted").id;
    const baseSha = w.sim.branchSha(repo);
    expect(w.audit.filter((e) => e.repository === repo)).toEqual([
      expect.objectContaining({
        kind: "decision",
        time: NOW.toISOString(),
        pr: n,
        headSha: head,
        baseSha,
        decision: "pending",
        approverIds: [],
        deliveryId: openedId,
      }),
      expect.objectContaining({
        repository: repo,
        pr: n,
        headSha: head,
        baseSha,
        decision: "approved",
        approverIds: [102],
        deliveryId: reviewId,
      }),
    ]);
  });

  test("invariant: redelivery is idempotent: a redelivered delivery writes no second check run and is not evaluated again", async () => {
    const repo = w.repo("redelivery");
    const { n, head } = w.openRequest(repo, "carol-prod-db-admin", CAROL_DB_ADMIN, "carol");
    w.sim.submitReview(repo, n, { user: "bob", state: "APPROVED" });
    await settle();
    const review = deliveryOf(repo, "pull_request_review", "submitted");
    const opened = deliveryOf(repo, "pull_request", "opened");
    w.sim.resetApiCalls();
    w.sim.redeliver(opened.id);
    w.sim.redeliver(review.id);
    await settle();
    const again = w.sim.deliveries().filter((d) => d.redelivery && [opened.id, review.id].includes(d.id));
    expect(again.map((d) => d.status)).toEqual(["delivered", "delivered"]);
    expect(w.sim.apiCalls()).toBe(0);
    expect(w.audit.filter((e) => e.deliveryId === review.id || e.deliveryId === opened.id)).toHaveLength(2);
    expect(conclusion(repo, head)).toBe("success");
  });

  test("a review whose delivery was lost is decided by the reconcile pass", async () => {
    const repo = w.repo("lost-delivery");
    const { n, head } = w.openRequest(repo, "carol-prod-db-admin", CAROL_DB_ADMIN, "carol");
    await settle();
    w.sim.dropNextDelivery("pull_request_review.submitted");
    w.sim.submitReview(repo, n, { user: "bob", state: "APPROVED" });
    await settle();
    expect(lastDelivery("pull_request_review").status).toBe("dropped");
    expect(conclusion(repo, head)).toBe("action_required");
    await w.bot.reconcileAll();
    expect(conclusion(repo, head)).toBe("success");
    expect(w.audit.filter((e) => e.repository === repo).at(-1)).toMatchObject({
      decision: "approved",
      deliveryId: undefined,
    });
  });

  test("invariant: merge acts on the approved SHA only: autoMerge merges an approved request at the approved head", async () => {
    const repo = w.repo("auto-merge");
    const { n, head } = w.openRequest(repo, "alice-staging", ALICE_STAGING);
    await settle();
    const run = only(repo, head);
    expect(run.conclusion).toBe("success");
    expect(run.output.summary).toContain("staging-viewer needs no approval");
    const pull = w.sim.getPullRequest(repo, n);
    expect(pull).toMatchObject({ merged: true, mergedBy: "jitops[bot]", headSha: head });
    expect(w.sim.readFile(repo, "main", "access/requests/alice-staging.yaml")).toBe(ALICE_STAGING);
    expect(botRemarks(w.sim.listComments(repo, n))).toEqual([]);
  });

  test("a merge refused because the head moved (409) leaves one comment and merges nothing", async () => {
    const repo = w.repo("head-moved");
    // GitHub lags: the PR API still shows c1 after c2 was pushed, so the bot approves c1 and merges with sha=c1.
    w.sim.dropNextDelivery("pull_request.opened");
    const { n, head: c1 } = w.openRequest(repo, "alice-staging", ALICE_STAGING);
    w.sim.dropNextDelivery("pull_request.synchronize");
    const c2 = w.sim.pushToPullRequest(repo, n, {
      files: { "access/requests/alice-staging.yaml": ALICE_STAGING.replace("1d", "12h") },
      author: "alice",
    });
    w.sim.hideHeadSha(repo, n);
    await settle();
    const opened = deliveryOf(repo, "pull_request", "opened");
    expect(opened.status).toBe("dropped");
    w.sim.redeliver(opened.id);
    await settle();
    expect(w.sim.getPullRequest(repo, n).merged).toBe(false);
    const comments = botRemarks(w.sim.listComments(repo, n));
    expect(comments).toHaveLength(1);
    expect(comments[0]!.body).toContain("head moved after approval (409)");
    expect(conclusion(repo, c1)).toBe("success");
    expect(w.checks(repo, c2)).toEqual([]);

    // Once GitHub shows c2, the next pass approves and merges c2 itself.
    w.sim.revealHeadSha(repo, n);
    await w.bot.reconcileAll();
    expect(conclusion(repo, c2)).toBe("success");
    expect(w.sim.getPullRequest(repo, n)).toMatchObject({ merged: true, headSha: c2 });
    expect(botRemarks(w.sim.listComments(repo, n))).toHaveLength(1);
  });

  test("a draft is not auto-merged until it is ready for review", async () => {
    const repo = w.repo("draft");
    const n = w.sim.openPullRequest(repo, {
      head: "draft",
      author: "alice",
      title: "staging",
      draft: true,
      files: { "access/requests/alice-staging.yaml": ALICE_STAGING },
    });
    await settle();
    const head = w.sim.getPullRequest(repo, n).headSha;
    expect(conclusion(repo, head)).toBe("success");
    expect(w.sim.getPullRequest(repo, n).merged).toBe(false);
    expect(botRemarks(w.sim.listComments(repo, n))).toEqual([]);
    w.sim.markReadyForReview(repo, n, "alice");
    await settle();
    expect(w.sim.getPullRequest(repo, n).merged).toBe(true);
  });

  test("the bot keeps one sticky plan comment: who, role, where, until when", async () => {
    const repo = w.repo("plan-comment");
    const { n } = w.openRequest(repo, "alice-prod-db", ALICE_PROD_DB);
    await w.sim.awaitDeliveries();
    const plans = () => w.sim.listComments(repo, n).filter((c) => c.body.startsWith("<!-- jitops:plan -->"));
    expect(plans()).toHaveLength(1);
    expect(plans()[0]!.body).toContain(
      "| grant | alice (`user:alice@acme.example`) | roles/cloudsql.viewer on projects/acme-prod (gcp) |",
    );
    expect(plans()[0]!.body).toContain("(in 4h)");
    w.sim.pushToPullRequest(repo, n, {
      files: { "access/requests/alice-prod-db.yaml": ALICE_PROD_DB.replace('"4h"', '"2h"') },
      author: "alice",
    });
    await w.sim.awaitDeliveries();
    expect(plans()).toHaveLength(1);
    expect(plans()[0]!.body).toContain("(in 2h)");
  });

  test("a PR GitHub cannot merge (405) gets one comment, however often it is decided", async () => {
    const repo = w.repo("not-mergeable");
    const { n, head } = w.openRequest(repo, "alice-staging", ALICE_STAGING);
    w.sim.setMergeable(repo, n, false); // before the opened delivery goes out
    await settle();
    await w.bot.reconcileAll();
    await w.bot.reconcileAll();
    expect(conclusion(repo, head)).toBe("success");
    expect(w.sim.getPullRequest(repo, n).merged).toBe(false);
    const comments = botRemarks(w.sim.listComments(repo, n));
    expect(comments.map((c) => c.body)).toEqual([expect.stringContaining("not mergeable (405)")]);
  });

  test("API errors beyond the retries never approve: the check says it could not decide yet", async () => {
    const repo = w.repo("api-errors");
    // staging-viewer needs no approval: only the failing API stands between it and success.
    w.sim.resetApiCalls();
    w.sim.failNext({
      method: "GET",
      path: "/repos/{owner}/{repo}/pulls/{pull_number}/files",
      status: 500,
      times: 4,
    });
    const { n, head } = w.openRequest(repo, "alice-staging", ALICE_STAGING);
    await settle();
    const failing = w.sim.apiCallLog().filter((c) => c.status === 500);
    expect(failing).toHaveLength(4);
    const run = only(repo, head);
    expect(run).toMatchObject({ conclusion: "action_required", output: { title: "Could not decide yet" } });
    expect(run.output.summary).toContain("No approval is given");
    expect(w.sim.getPullRequest(repo, n).merged).toBe(false);
    expect(w.audit.filter((e) => e.repository === repo)).toEqual([]);

    // The failed delivery was not marked handled: redelivering it decides the PR.
    w.sim.redeliver(deliveryOf(repo, "pull_request", "opened").id);
    await settle();
    expect(conclusion(repo, head)).toBe("success");
    expect(w.sim.getPullRequest(repo, n).merged).toBe(true);
  });

  test("a head SHA GitHub does not show yet is never approved", async () => {
    const repo = w.repo("hidden-head");
    const { n, head: c1 } = w.openRequest(repo, "carol-prod-db-admin", CAROL_DB_ADMIN, "carol");
    await settle();
    const c2 = w.sim.pushToPullRequest(repo, n, {
      files: { "access/requests/carol-prod-db-admin.yaml": CAROL_DB_ADMIN.replace("1h", "2h") },
      author: "carol",
    });
    w.sim.hideHeadSha(repo, n);
    w.sim.submitReview(repo, n, { user: "bob", state: "APPROVED" });
    await settle();
    expect(w.checks(repo, c2).filter((c) => c.conclusion === "success")).toEqual([]);
    expect(conclusion(repo, c1)).toBe("action_required");

    w.sim.revealHeadSha(repo, n);
    await w.bot.reconcileAll();
    expect(conclusion(repo, c2)).toBe("success");
  });

  test("steady state: one review event costs at most 2 counted GitHub API calls", async () => {
    const repo = w.repo("api-budget");
    const { n, head } = w.openRequest(repo, "carol-prod-db-admin", CAROL_DB_ADMIN, "carol");
    await settle();
    w.sim.resetApiCalls();
    w.sim.submitReview(repo, n, { user: "bob", state: "APPROVED" });
    await settle();
    expect(conclusion(repo, head)).toBe("success");
    // The reviews read and the check run's PATCH; the PR itself comes from the signed payload.
    expect(w.sim.countedApiCalls()).toBeLessThanOrEqual(2);
  });

  test("invariant: deliveries are verified on raw bytes: a bad signature is rejected and runs no handler", async () => {
    const repo = w.repo("forged");
    w.sim.setWebhookTarget(null);
    w.openRequest(repo, "alice-prod-db", ALICE_PROD_DB);
    await settle();
    w.sim.setWebhookTarget({ url: w.bot.webhookUrl, secret: SECRET });
    const forged = lastDelivery("pull_request");
    w.sim.resetApiCalls();
    const before = w.audit.length;
    for (const signature of [`sha256=${"0".repeat(64)}`, "sha256=not-hex"]) {
      const res = await fetch(w.bot.webhookUrl, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          "x-github-event": forged.event,
          "x-github-delivery": forged.id,
          "x-hub-signature-256": signature,
        },
        body: forged.body,
      });
      expect([400, 401]).toContain(res.status);
    }
    expect(w.sim.apiCalls()).toBe(0);
    expect(w.audit.length).toBe(before);
  });

  test("invariant: the bot refuses to start without a webhook secret", async () => {
    for (const secret of [undefined, "", "  "]) {
      await expect(
        createBotServer({ appId: 1, privateKey: "unused", secret, port: 0, logLevel: "fatal" }),
      ).rejects.toThrow(/webhook secret is required/);
    }
  });
});
