import { ACCESS_REPO } from "../../cli/demo/grants-world.js";
import { GrantsScenario, PEOPLE, PROD, requestPath } from "./helpers/grants-scenario.js";

// Security invariants of applying grants, against the real bot, providers and embedded clouds.
describe("apply invariants", () => {
  let sc: GrantsScenario;
  afterEach(async () => sc.w.close());

  it("invariant: apply re-checks the approval on the merged commit: an unapproved merge grants nothing", async () => {
    sc = await GrantsScenario.start(new Date("2026-12-01T09:00:00Z"));
    // An administrator merges alice's request without any review (branch protection bypassed).
    const { pr, merge } = await sc.request("alice-bypass", "alice", {}, null);
    expect(sc.gh.getPullRequest(ACCESS_REPO, pr).merged).toBe(true);
    expect(sc.gh.readFile(ACCESS_REPO, merge, requestPath("alice-bypass"))).toBeDefined();
    expect(sc.cloud.gcpHasAccess(PROD.project, PEOPLE.alice!.gcp, PROD.role, sc.clock.now())).toBe(false);
    expect(sc.cloud.k8sBindings()).toEqual([]);
    expect(sc.cloud.azureSchedules()).toEqual([]);
    expect(sc.grantStatuses(merge)).toEqual(["failure"]);
    expect(sc.comments(pr).at(-1)).toMatch(
      /^jitops granted nothing for this merge: pull request #\d+ is pending on its merged head/,
    );
    // Later reconciles keep refusing it: Git says it, but no approved merge does.
    await sc.sweep();
    expect(sc.cloud.gcpHasAccess(PROD.project, PEOPLE.alice!.gcp, PROD.role, sc.clock.now())).toBe(false);
  });

  it("invariant: grants come only from request files of an approved merge, bounded by maxDuration", async () => {
    sc = await GrantsScenario.start(new Date("2026-12-02T09:00:00Z"));
    await sc.request("alice-ok", "alice", { duration: "8h" });
    const policy = sc.cloud.gcpPolicy(PROD.project);
    const ours = (policy.bindings ?? []).filter((b) => b.condition?.title === "jitops:alice-ok");
    expect(ours).toHaveLength(1);
    const until = /timestamp\("([^"]+)"\)/.exec(ours[0]!.condition!.expression)![1]!;
    // Never open-ended: the provider holds an expiry no later than merge time + maxDuration.
    expect(Date.parse(until) - sc.clock.now().getTime()).toBeLessThanOrEqual(8 * 3600_000);
  });
});
