import { ACCESS_REPO } from "../../cli/demo/grants-world.js";
import { CHECK_NAME } from "../../core/render-check.js";
import { BREAK_GLASS_LABEL } from "../../app/apply-push.js";
import { GrantsScenario, PEOPLE, PROD, requestPath, requestYaml } from "./helpers/grants-scenario.js";

// Durations and clocks, on the embedded GitHub and clouds with the real bot and a virtual clock:
// later starts, extensions, early revokes, the expiry second, sweeper idempotence, break-glass.

const ALICE = PEOPLE.alice!;
const MINUTE = 60_000;

let day = 0;
const nextDay = () => new Date(Date.UTC(2026, 11, 1 + day++, 10));

/** alice's access to the production database in each cloud at `at` (Kubernetes has no clock: now). */
function access(s: GrantsScenario, at: Date = s.clock.now()) {
  return {
    gcp: s.cloud.gcpHasAccess(PROD.project, ALICE.gcp, PROD.role, at),
    azure: s.cloud.azureHasAccess(PROD.scope, ALICE.azure!, "Reader", at),
    kubernetes: s.cloud.k8sCan({ user: ALICE.kubernetes!, namespace: PROD.namespace, role: "view" }),
  };
}

function writes(s: GrantsScenario): string[] {
  return s.cloud
    .callLog()
    .filter((c) => c.kind === "write")
    .map((c) => `${c.service} ${c.operation} ${c.status}`);
}

describe("grant durations and clocks (real bot and providers on the simulators, virtual clock)", () => {
  let s: GrantsScenario | undefined;
  afterEach(async () => {
    await s?.close();
    s = undefined;
  });

  it("a later start: GCP gets a lower bound, Azure a future schedule, Kubernetes a binding only once a sweep finds it due", async () => {
    const sc = (s = await GrantsScenario.start(nextDay()));
    const t0 = sc.clock.now();
    const start = new Date(t0.getTime() + 4 * 60 * MINUTE);
    const iso = start.toISOString().replace(".000Z", "Z");
    const { pr } = await sc.request("alice-later", "alice", { start: iso, duration: "4h" });
    const end = new Date(start.getTime() + 4 * 60 * MINUTE).toISOString().replace(".000Z", "Z");

    expect(sc.gcpRows().map((r) => r.expression)).toEqual([
      `request.time < timestamp("${end}") && request.time >= timestamp("${iso}")`,
    ]);
    expect(sc.azureLive().map((x) => [x.start, x.end])).toEqual([[start, new Date(end)]]);
    expect(sc.k8sRows()).toEqual([]);
    expect(sc.comments(pr).at(-1)).toMatch(/- scheduled ClusterRole view .*from .* until/);
    sc.expectCloudMatchesGit();

    // Denied before the start, by every cloud; GCP and Azure allow from the start second on their own.
    expect(access(sc)).toEqual({ gcp: false, azure: false, kubernetes: false });
    expect(access(sc, new Date(start.getTime() - 1000))).toMatchObject({ gcp: false, azure: false });
    expect(access(sc, start)).toMatchObject({ gcp: true, azure: true });

    // A sweep before the start creates nothing and writes nothing.
    sc.clock.advance(start.getTime() - sc.clock.now().getTime() - 1000);
    sc.cloud.resetCalls();
    await sc.sweep();
    expect(writes(sc)).toEqual([]);
    expect(sc.k8sRows()).toEqual([]);

    // The first sweep once it is due creates the RoleBinding, and only that.
    sc.clock.advance(1000);
    sc.cloud.resetCalls();
    await sc.sweep();
    expect(writes(sc)).toEqual(["kubernetes rolebindings.create 201"]);
    expect(access(sc)).toEqual({ gcp: true, azure: true, kubernetes: true });
    expect(sc.expectCloudMatchesGit()).toEqual(["alice-later"]);
    await sc.expectAllSwept();
  });

  it("an extension is approved like a new request, then updates each binding in place with the new expiry", async () => {
    const sc = (s = await GrantsScenario.start(nextDay()));
    await sc.request("alice-ext", "alice", { duration: "2h" });
    const first = sc.window("alice-ext").notAfter;
    sc.clock.advance(30 * MINUTE);

    // Not approved yet: the change is pending and nothing moves in the cloud.
    const pr = sc.gh.openPullRequest(ACCESS_REPO, {
      head: "alice/extend",
      author: "alice",
      title: "Extend alice-ext",
      files: { [requestPath("alice-ext")]: requestYaml("alice-ext", { duration: "6h" }) },
    });
    sc.cloud.resetCalls();
    await sc.settle();
    const head = sc.gh.getPullRequest(ACCESS_REPO, pr).headSha;
    expect(sc.gh.getCheckRuns(ACCESS_REPO, head).find((c) => c.name === CHECK_NAME)?.conclusion).toBe(
      "action_required",
    );
    expect(sc.gh.getPullRequest(ACCESS_REPO, pr).merged).toBe(false);
    expect(sc.cloud.calls().total).toBe(0);

    sc.clock.advance(MINUTE);
    sc.gh.submitReview(ACCESS_REPO, pr, { user: "bob", state: "APPROVED" });
    await sc.settle();
    expect(sc.gh.getPullRequest(ACCESS_REPO, pr).merged).toBe(true);
    const extended = sc.window("alice-ext").notAfter;
    expect(extended.getTime() - sc.clock.now().getTime()).toBe(6 * 60 * MINUTE);
    expect(writes(sc)).toEqual([
      "gcp setIamPolicy 200",
      "azure roleAssignmentScheduleRequests.create 201",
      "kubernetes rolebindings.create 409",
      "kubernetes rolebindings.replace 200",
    ]);
    const until = extended.toISOString().replace(".000Z", "Z");
    expect(sc.gcpRows().map((r) => r.expression)).toEqual([`request.time < timestamp("${until}")`]);
    // One PIM schedule ever made for alice: updated (AdminUpdate), not a second assignment.
    const schedules = sc.cloud.azureSchedules().filter((x) => x.principalId === ALICE.azure);
    expect(schedules.map((x) => x.end)).toEqual([extended]);
    expect(sc.k8sRows().map((b) => b.notAfter)).toEqual([extended.toISOString()]);
    expect(sc.comments(pr).at(-1)).toContain(`until ${until}`);
    expect(sc.expectCloudMatchesGit()).toEqual(["alice-ext"]);

    // Past the first expiry, access holds; past the new one, it does not.
    sc.clock.advance(first.getTime() - sc.clock.now().getTime() + MINUTE);
    await sc.sweep();
    expect(access(sc)).toEqual({ gcp: true, azure: true, kubernetes: true });
    expect(sc.expectCloudMatchesGit()).toEqual(["alice-ext"]);
    await sc.expectAllSwept();
  });

  it("an early revoke removes the bindings; Azure PIM refuses within 5 minutes, a later sweep removes it", async () => {
    const sc = (s = await GrantsScenario.start(nextDay()));
    await sc.request("alice-rev", "alice");
    const assigned = sc.clock.now();

    sc.cloud.resetCalls();
    const { pr, merge } = await sc.revoke("alice-rev", "alice");
    expect(sc.declared()).toEqual([]);
    expect(writes(sc)).toEqual([
      "gcp setIamPolicy 200",
      "azure roleAssignmentScheduleRequests.create 400",
      "kubernetes rolebindings.delete 200",
    ]);
    const said = sc.comments(pr).at(-1)!;
    expect(said).toMatch(/- revoked `alice-rev\/gcp\/0`.*within minutes/);
    expect(said).toMatch(
      /\*\*not yet revoked\*\* `alice-rev\/azure\/0`: .*5 minutes.*retried on the next reconcile/,
    );
    expect(sc.grantStatuses(merge)).toEqual(["failure"]);
    expect(access(sc)).toEqual({ gcp: false, azure: true, kubernetes: false });

    // Still within the 5 minutes: refused again, nothing else touched.
    sc.clock.advance(3 * MINUTE);
    sc.cloud.resetCalls();
    await sc.sweep();
    expect(writes(sc)).toEqual(["azure roleAssignmentScheduleRequests.create 400"]);

    sc.clock.advance(assigned.getTime() + 5 * MINUTE - sc.clock.now().getTime());
    sc.cloud.resetCalls();
    await sc.sweep();
    expect(writes(sc)).toEqual(["azure roleAssignmentScheduleRequests.create 201"]);
    expect(access(sc)).toEqual({ gcp: false, azure: false, kubernetes: false });
    expect(sc.expectCloudMatchesGit()).toEqual([]);

    sc.cloud.resetCalls();
    await sc.sweep();
    expect(writes(sc)).toEqual([]);
    await sc.expectAllSwept();
  });

  it("expires at the boundary second: allowed and kept at notAfter-1s, refused and removed at notAfter", async () => {
    const sc = (s = await GrantsScenario.start(nextDay()));
    await sc.request("alice-edge", "alice", { duration: "1h30m" });
    const end = sc.window("alice-edge").notAfter;

    sc.clock.advance(end.getTime() - 1000 - sc.clock.now().getTime());
    expect(access(sc)).toEqual({ gcp: true, azure: true, kubernetes: true });
    const pulls = sc.pulls().length;
    sc.cloud.resetCalls();
    await sc.sweep();
    expect(writes(sc)).toEqual([]);
    expect(sc.pulls()).toHaveLength(pulls);
    expect(sc.expectCloudMatchesGit()).toEqual(["alice-edge"]);

    sc.clock.advance(1000);
    expect(sc.clock.now()).toEqual(end);
    // GCP and Azure refuse on their own; Kubernetes has no clock and waits for the sweep.
    expect(access(sc)).toEqual({ gcp: false, azure: false, kubernetes: true });
    sc.cloud.resetCalls();
    await sc.sweep();
    expect(writes(sc)).toEqual(["gcp setIamPolicy 200", "kubernetes rolebindings.delete 200"]);
    expect(access(sc)).toEqual({ gcp: false, azure: false, kubernetes: false });
    const revert = sc.pulls().find((p) => p.headRef === "jitops/expire/alice-edge");
    expect(revert?.merged).toBe(true);
    expect(sc.declared()).toEqual([]);
    expect(sc.expectCloudMatchesGit()).toEqual([]);
    await sc.expectAllSwept();
  });

  it("the sweeper is idempotent: a second run opens no second revert PR and writes nothing", async () => {
    const sc = (s = await GrantsScenario.start(nextDay()));
    await sc.request("alice-idem", "alice", { duration: "2h" });
    sc.clock.advance(sc.window("alice-idem").notAfter.getTime() - sc.clock.now().getTime() + MINUTE);

    // The revert PR cannot be merged on the first run (GitHub refuses), so it stays open.
    sc.gh.failNext({
      method: "PUT",
      path: "/repos/{owner}/{repo}/pulls/{pull_number}/merge",
      status: 405,
      times: 10,
    });
    sc.cloud.resetCalls();
    await sc.w.bot.sweepAll();
    await sc.settle();
    sc.gh.clearFaults();
    expect(writes(sc)).toEqual(["gcp setIamPolicy 200", "kubernetes rolebindings.delete 200"]);
    const reverts = () => sc.pulls().filter((p) => p.headRef === "jitops/expire/alice-idem");
    expect(reverts()).toHaveLength(1);
    expect(reverts()[0]!.merged).toBe(false);
    expect(sc.declared()).toEqual(["alice-idem"]);

    sc.cloud.resetCalls();
    await sc.sweep();
    expect(writes(sc)).toEqual([]);
    expect(reverts()).toHaveLength(1);
    expect(reverts()[0]!.merged).toBe(true);

    sc.cloud.resetCalls();
    const pulls = sc.pulls().length;
    await sc.sweep();
    expect(sc.cloud.calls().writes).toBe(0);
    expect(sc.pulls()).toHaveLength(pulls);
    await sc.expectAllSwept();
  });

  it("break-glass: merged without reviews, granted for at most the break-glass duration, with a review issue", async () => {
    const sc = (s = await GrantsScenario.start(nextDay()));
    const { pr, merge } = await sc.request("alice-bg", "alice", { breakGlass: true, duration: "1h" }, null);
    const merged = sc.gh.getPullRequest(ACCESS_REPO, pr);
    expect(merged.merged).toBe(true);
    expect(sc.grantStatuses(merge)).toEqual(["success"]);
    expect(access(sc)).toEqual({ gcp: true, azure: true, kubernetes: true });
    expect(sc.window("alice-bg").notAfter.getTime() - sc.clock.now().getTime()).toBe(60 * MINUTE);

    const issues = sc.gh
      .listIssues(ACCESS_REPO)
      .filter((i) => i.labels.some((l) => l.name === BREAK_GLASS_LABEL));
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ state: "open", title: "Break-glass review: alice-bg" });
    expect(issues[0]!.body).toContain(`#${pr}`);
    expect(sc.comments(pr).at(-1)).toContain(`post-incident review opened as #${issues[0]!.number}`);
    // The people who approve prod-db-reader normally (acme/sre) are assigned to review it.
    expect(issues[0]!.assignees).toEqual(["bob", "carol"]);
    expect(sc.w.grantAudit.filter((e) => e.kind === "break-glass")).toEqual([
      expect.objectContaining({
        requestId: "alice-bg",
        pr,
        detail: `post-incident review #${issues[0]!.number}`,
      }),
    ]);
    expect(sc.w.grantAudit.filter((e) => e.kind === "grant" && e.requestId === "alice-bg")).toHaveLength(3);

    // A redelivered push neither grants again nor opens a second review issue.
    sc.cloud.resetCalls();
    sc.gh.redeliver(sc.pushDelivery(merge).id);
    await sc.settle();
    expect(sc.cloud.calls().writes).toBe(0);
    expect(
      sc.gh.listIssues(ACCESS_REPO).filter((i) => i.labels.some((l) => l.name === BREAK_GLASS_LABEL)),
    ).toHaveLength(1);
    expect(sc.expectCloudMatchesGit()).toEqual(["alice-bg"]);
    await sc.expectAllSwept();
  });
});
