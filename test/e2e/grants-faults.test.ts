import { GrantsScenario, PEOPLE, PROD } from "./helpers/grants-scenario.js";
import { AZURE_PUT, GCP_SET, K8S_BINDINGS, held, nextDay, writes } from "./helpers/grants-faults.js";

const ALICE = PEOPLE.alice!;

// Fault injection through the embedded clouds, with the real bot and providers between them (as in
// `jitops demo`). After every scenario the cloud holds exactly what Git declares, and nothing once
// it has all expired and been swept. Transient faults are in grants-transient-faults.test.ts.

describe("grants under cloud faults (sim/cloud fault injection, real bot and providers)", () => {
  let s: GrantsScenario | undefined;
  afterEach(async () => {
    await s?.close();
    s = undefined;
  });

  it("retries GCP etag conflicts (409 ABORTED) by reading again, within the same apply", async () => {
    s = await GrantsScenario.start(nextDay());
    s.cloud.failNext({ service: "gcp", path: GCP_SET, status: 409, times: 3 });
    const { pr, merge } = await s.request("alice-prod-db", "alice");

    expect(writes(s, "gcp")).toEqual([
      "gcp setIamPolicy 409",
      "gcp setIamPolicy 409",
      "gcp setIamPolicy 409",
      "gcp setIamPolicy 200",
    ]);
    // Every retry re-read the policy first: a stale etag is never sent twice.
    const gcpOps = s.cloud.callLog("gcp").map((c) => c.operation);
    for (let i = 1; i < gcpOps.length; i++)
      if (gcpOps[i] === "setIamPolicy") expect(gcpOps[i - 1]).toBe("getIamPolicy");
    expect(s.grantStatuses(merge)).toEqual(["success"]);
    expect(s.comments(pr).at(-1)).not.toContain("not granted");
    expect(s.expectCloudMatchesGit()).toEqual(["alice-prod-db"]);
    await s.expectAllSwept();
  });

  it("reports GCP as not granted when the etag conflicts outlast the retries, and the next sweep converges", async () => {
    s = await GrantsScenario.start(nextDay());
    s.cloud.failNext({ service: "gcp", path: GCP_SET, status: 409, times: 5 });
    const { pr, merge } = await s.request("alice-prod-db", "alice");

    expect(writes(s, "gcp")).toEqual(Array(5).fill("gcp setIamPolicy 409"));
    expect(held(s)).toEqual({ gcp: false, azure: true, kubernetes: true });
    expect(s.grantStatuses(merge)).toEqual(["failure"]);
    const said = s.comments(pr).at(-1)!;
    expect(said).toMatch(/\*\*not granted\*\* roles\/cloudsql\.viewer on projects\/acme-prod .*ABORTED/);
    expect(said).toMatch(/- granted Reader on .*\(azure\)/);

    s.cloud.resetCalls();
    await s.sweep();
    expect(writes(s)).toEqual(["gcp setIamPolicy 200"]);
    expect(s.expectCloudMatchesGit()).toEqual(["alice-prod-db"]);
    await s.expectAllSwept();
  });

  it("a crash between bindings: GCP took, Azure and Kubernetes did not; the redelivered push converges without writing GCP again", async () => {
    s = await GrantsScenario.start(nextDay());
    s.cloud.failNext({ service: "azure", method: "PUT", path: AZURE_PUT, status: 403, message: "crash" });
    s.cloud.failNext({ service: "kubernetes", method: "POST", path: K8S_BINDINGS, status: 403 });
    const { pr, merge } = await s.request("alice-prod-db", "alice");

    expect(held(s)).toEqual({ gcp: true, azure: false, kubernetes: false });
    expect(s.grantStatuses(merge)).toEqual(["failure"]);
    const first = s.comments(pr).at(-1)!;
    expect(first).toMatch(/- granted roles\/cloudsql\.viewer .*\(gcp\)/);
    expect(first).toMatch(/\*\*not granted\*\* Reader .*\(azure\).*crash; retried on the next reconcile/);
    expect(first).toMatch(/\*\*not granted\*\* ClusterRole view .*\(kubernetes\).*HTTP 403/);
    expect(first).not.toContain("Headers:");

    // The handling failed, so the bot takes a redelivery of the same push (same id) as a retry.
    s.cloud.resetCalls();
    const delivery = s.pushDelivery(merge);
    s.gh.redeliver(delivery.id);
    await s.settle();
    expect(writes(s)).toEqual([
      "azure roleAssignmentScheduleRequests.create 201",
      "kubernetes rolebindings.create 201",
    ]);
    expect(s.grantStatuses(merge)).toEqual(["failure", "success"]);
    expect(s.comments(pr).at(-1)).toMatch(/- granted Reader .*\(azure\)/);
    expect(s.expectCloudMatchesGit()).toEqual(["alice-prod-db"]);

    // Once handled, further redeliveries of it are ignored: nothing is read or written.
    s.cloud.resetCalls();
    const comments = s.comments(pr).length;
    s.gh.redeliver(delivery.id);
    await s.settle();
    expect(s.cloud.calls().total).toBe(0);
    expect(s.comments(pr)).toHaveLength(comments);
    expect(s.expectCloudMatchesGit()).toEqual(["alice-prod-db"]);
    await s.expectAllSwept();
  });

  it("a crash between bindings converges on the next push to main (another request's merge)", async () => {
    s = await GrantsScenario.start(nextDay());
    s.cloud.failNext({ service: "kubernetes", method: "POST", path: K8S_BINDINGS, status: 403 });
    await s.request("alice-prod-db", "alice");
    expect(held(s)).toEqual({ gcp: true, azure: true, kubernetes: false });

    // bob's staging-viewer needs no approval and auto-merges; its push reconciles everything.
    s.cloud.resetCalls();
    const bob = await s.request(
      "bob-staging",
      "bob",
      { entitlement: "staging-viewer", duration: "2h" },
      null,
    );
    expect(writes(s)).toEqual(["gcp setIamPolicy 200", "kubernetes rolebindings.create 201"]);
    expect(s.grantStatuses(bob.merge)).toEqual(["success"]);
    expect(s.expectCloudMatchesGit().sort()).toEqual(["alice-prod-db", "bob-staging"]);
    await s.expectAllSwept();
  });

  it("a redelivered push grants nothing twice", async () => {
    s = await GrantsScenario.start(nextDay());
    const { pr, merge } = await s.request("alice-prod-db", "alice");
    expect(s.expectCloudMatchesGit()).toEqual(["alice-prod-db"]);
    const comments = s.comments(pr).length;

    s.cloud.resetCalls();
    s.gh.redeliver(s.pushDelivery(merge).id);
    s.gh.redeliver(s.pushDelivery(merge).id);
    await s.settle();
    expect(s.gh.deliveries().filter((d) => d.event === "push" && d.redelivery)).toHaveLength(2);
    expect(s.cloud.calls().writes).toBe(0);
    expect(s.comments(pr)).toHaveLength(comments);
    expect(s.grantStatuses(merge)).toEqual(["success"]);
    expect(s.cloud.gcpHasAccess(PROD.project, ALICE.gcp, PROD.role)).toBe(true);
    expect(s.expectCloudMatchesGit()).toEqual(["alice-prod-db"]);

    // A reconcile of the same state (what a bot that lost its memory would run) writes nothing either.
    s.cloud.resetCalls();
    await s.sweep();
    expect(s.cloud.calls().writes).toBe(0);
    expect(s.expectCloudMatchesGit()).toEqual(["alice-prod-db"]);
    await s.expectAllSwept();
  });
  it("a sweep stopped after deleting the expired file on the revert branch, before opening the PR, recovers on the next sweep", async () => {
    s = await GrantsScenario.start(nextDay());
    await s.request("alice-prod-db", "alice", { duration: "2h" });
    s.clock.advance(s.window("alice-prod-db").notAfter.getTime() - s.clock.now().getTime() + 60_000);

    // The process "dies" right after the delete: opening the pull request fails once (403 is not retried).
    s.gh.failNext({ method: "POST", path: "/repos/{owner}/{repo}/pulls", status: 403, times: 1 });
    await s.w.bot.sweepAll();
    await s.settle();
    s.gh.clearFaults();
    const reverts = () => s!.pulls().filter((p) => p.headRef === "jitops/expire/alice-prod-db");
    expect(reverts()).toHaveLength(0);
    expect(s.declared()).toEqual(["alice-prod-db"]);

    // The branch is left without the file; the next sweep resets it, opens the PR and merges it.
    await s.sweep();
    expect(reverts()).toHaveLength(1);
    expect(reverts()[0]!.merged).toBe(true);
    expect(s.declared()).toEqual([]);
    await s.expectAllSwept();
  });
});
