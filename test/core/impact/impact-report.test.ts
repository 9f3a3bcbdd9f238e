import { impactReport, type ImpactReport } from "../../../core/impact/impact-report.js";
import type { ImpactKind } from "../../../core/impact/impact-kind.js";
import type { ReplayCoverage } from "../../../core/impact/replay-input.js";
import { BASE_POLICY, DIRECTORY, merged, tree } from "./fixtures.js";

const WITH_REVIEWS: ReplayCoverage = { reviews: true, openPulls: true, since: "2026-08-26T10:00:00.000Z" };

/** carol (SRE) got prod-db-admin with bob's approval; alice got staging-viewer with none. */
const HISTORY = [merged(812, "carol", "prod-db-admin", ["bob"]), merged(813, "alice", "staging-viewer", [])];

function report(head: string, coverage = WITH_REVIEWS, requests = HISTORY): ImpactReport {
  return impactReport({ base: tree(), head: tree(head), directory: DIRECTORY, requests, coverage });
}

describe("impactReport: what a policy change would change, request by request", () => {
  const cases: {
    name: string;
    head: string;
    kinds: ImpactKind[];
    after: string;
    why: string;
  }[] = [
    {
      name: "eligibility removed: carol is no longer eligible, so #812 becomes denied",
      head: BASE_POLICY.replace("eligible: {teams: [acme/sre]}", "eligible: {teams: [acme/dba]}"),
      kinds: ["newly-denied", "eligibility-removed"],
      after: "denied",
      why: "carol is no longer eligible for prod-db-admin (eligible: @acme/sre → @acme/dba)",
    },
    {
      name: "count raised: bob's one approval no longer suffices",
      head: BASE_POLICY.replace("{name: sre, count: 1,", "{name: sre, count: 2,"),
      kinds: ["no-longer-approved", "needs-more-approvals"],
      after: "pending",
      why: "needs 2 approvals (was 1): sre 2 from @acme/sre",
    },
    {
      name: "approval rule changed: approvals now come from the DBAs, so bob's does not count",
      head: BASE_POLICY.replace(
        "{name: sre, count: 1, from: {teams: [acme/sre]}}",
        "{name: sre, count: 1, from: {teams: [acme/dba]}}",
      ),
      kinds: ["no-longer-approved", "approvers-changed"],
      after: "pending",
      why: "rule sre: approvers @acme/sre → @acme/dba",
    },
    {
      name: "maxDuration lowered below the 4h asked for: invalid",
      head: BASE_POLICY.replace("maxDuration: 8h", "maxDuration: 2h"),
      kinds: ["newly-invalid", "max-duration-lowered"],
      after: "invalid",
      why: "duration 4h exceeds the maxDuration 2h of entitlement prod-db-admin (was 8h)",
    },
    {
      name: "entitlement removed: the request names an entitlement policy no longer declares",
      head: BASE_POLICY.replace("- name: prod-db-admin", "- name: prod-db-operator"),
      kinds: ["newly-invalid", "entitlement-removed"],
      after: "invalid",
      why: "entitlement prod-db-admin is no longer declared",
    },
    {
      name: "approval added where none was: alice's staging-viewer now needs an SRE",
      head: BASE_POLICY.replace(
        "      approval: none\n",
        "      approval:\n        - {name: sre, count: 1, from: {teams: [acme/sre]}}\n",
      ),
      kinds: ["no-longer-approved", "needs-more-approvals"],
      after: "pending",
      why: "needs 1 approval (was none): sre 1 from @acme/sre",
    },
  ];

  it.each(cases)("$name", ({ head, kinds, after, why }) => {
    const r = report(head);
    expect(r.policyErrors).toBeUndefined();
    expect(r.replayed).toBe(2);
    expect(r.changed).toBe(1);
    const [change] = r.requests;
    expect(change!.kinds).toEqual(kinds);
    expect(change!.after.decision).toBe(after);
    expect(change!.why).toContain(why);
    for (const k of kinds) expect(r.byKind[k]).toBe(1);
    expect(r.workloads).toEqual([]);
  });

  it("nothing changed: a new description decides nothing differently", () => {
    const r = report(
      BASE_POLICY.replace(
        "- name: staging-viewer\n",
        "- name: staging-viewer\n      description: Browse staging\n",
      ),
    );
    expect(r).toMatchObject({ replayed: 2, merged: 2, open: 0, changed: 0, decisionChanged: 0, byKind: {} });
    expect(r.requests).toEqual([]);
    expect(r.workloads).toEqual([]);
    expect(r.trust).toEqual([]);
    expect(r.headline).toBe("None of the 2 requests replayed would fare differently");
  });

  it("a lower maxDuration that the request still fits in changes nothing for it", () => {
    expect(report(BASE_POLICY.replace("maxDuration: 8h", "maxDuration: 4h")).changed).toBe(0);
  });

  it("the headline counts the changes and names the most serious one", () => {
    const head = BASE_POLICY.replace(
      "eligible: {teams: [acme/sre]}",
      "eligible: {teams: [acme/dba]}",
    ).replace(
      "      approval: none\n",
      "      approval:\n        - {name: sre, count: 1, from: {teams: [acme/sre]}}\n",
    );
    const r = report(head, WITH_REVIEWS, [
      ...HISTORY,
      merged(814, "alice", "staging-viewer", [], { name: "alice-staging-2" }),
    ]);
    expect(r.headline).toBe(
      "3 of 3 requests replayed would fare differently (1 become denied, 1 lose their requester's eligibility, 2 would no longer be approved); #812 becomes denied: carol is no longer eligible for prod-db-admin (eligible: @acme/sre → @acme/dba)",
    );
    expect(r.decisionChanged).toBe(3);
  });

  it("the headline says when a bound stopped the replay", () => {
    const r = report(BASE_POLICY, {
      ...WITH_REVIEWS,
      partial: { reason: "requests", message: "stopped after 2 merged pull requests (the bound)" },
    });
    expect(r.headline).toBe(
      "None of the 2 requests replayed would fare differently (partial: stopped after 2 merged pull requests (the bound))",
    );
  });

  it("an invalid head policy replays nothing and says why", () => {
    const r = report(BASE_POLICY.replace("maxDuration: 8h", "maxDuration: 8 hours"));
    expect(r.replayed).toBe(0);
    expect(r.policyErrors?.[0]).toMatch(/^head policy policies\/impact\.yaml:\d+:\d+ duration\.invalid: /);
    expect(r.headline).toBe("The head policy has 1 error, so no request was replayed");
  });

  it("open requests are judged now, and counted apart from merged ones", () => {
    const open = {
      ...merged(900, "carol", "prod-db-admin", []),
      state: "open" as const,
      at: "2026-11-24T10:00:00.000Z",
    };
    const r = report(
      BASE_POLICY.replace("eligible: {teams: [acme/sre]}", "eligible: {teams: [acme/dba]}"),
      WITH_REVIEWS,
      [open],
    );
    expect(r).toMatchObject({ replayed: 1, merged: 0, open: 1, changed: 1 });
    expect(r.requests[0]).toMatchObject({
      pr: 900,
      state: "open",
      before: { decision: "pending" },
      after: { decision: "denied" },
    });
  });
});

describe("impactReport without reviews or team membership (a local checkout)", () => {
  const LOCAL: ReplayCoverage = { reviews: false, openPulls: false };
  const local = (head: string, requests = HISTORY) =>
    impactReport({ base: tree(), head: tree(head), requests, coverage: LOCAL });

  it("reports the approvals a request would need, not pass or fail", () => {
    const r = local(BASE_POLICY.replace("{name: sre, count: 1,", "{name: sre, count: 2,"));
    expect(r.requests).toHaveLength(1);
    expect(r.requests[0]).toMatchObject({
      pr: 812,
      kinds: ["needs-more-approvals"],
      before: { decision: "pending", summary: "pending: sre needs 1" },
      after: { decision: "pending", summary: "pending: sre needs 2" },
      why: ["needs 2 approvals (was 1): sre 2 from @acme/sre"],
    });
    expect(r.decisionChanged).toBe(0);
  });

  it("reports eligibility by team name, since membership is unknown", () => {
    const r = local(BASE_POLICY.replace("eligible: {teams: [acme/sre]}", "eligible: {teams: [acme/dba]}"));
    expect(r.requests[0]).toMatchObject({
      kinds: ["eligibility-changed"],
      why: [
        "eligible for prod-db-admin: @acme/sre → @acme/dba (team membership not known here, so whether carol still is cannot be told)",
      ],
    });
  });

  it("a requester named in eligible users is known to lose eligibility even without teams", () => {
    const base = BASE_POLICY.replace("eligible: {teams: [acme/sre]}", "eligible: {users: [carol]}");
    const r = impactReport({
      base: tree(base),
      head: tree(base.replace("eligible: {users: [carol]}", "eligible: {users: [dave]}")),
      requests: HISTORY,
      coverage: LOCAL,
    });
    expect(r.requests[0]).toMatchObject({
      kinds: ["newly-denied", "eligibility-removed"],
      after: { decision: "denied" },
    });
  });

  it("an unknown requester is said to be unknown, not guessed", () => {
    const anon = merged(812, "", "prod-db-admin", [], { name: "someone-db-admin" });
    const r = local(BASE_POLICY.replace("eligible: {teams: [acme/sre]}", "eligible: {teams: [acme/dba]}"), [
      anon,
    ]);
    expect(r.requests[0]!.why[0]).toContain("whether the requester still is cannot be told");
    expect(r.coverage.directory).toBe(false);
  });
});
