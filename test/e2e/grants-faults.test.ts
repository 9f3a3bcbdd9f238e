import type { ProviderName } from "../../core/plan/binding.js";
import type { CloudFaultSpec } from "@jitops/sim/cloud";
import { GrantsScenario, PEOPLE, PROD } from "./helpers/grants-scenario.js";

// Fault injection through the embedded clouds, with the real bot and providers between them (as in
// `jitops demo`). After every scenario the cloud holds exactly what Git declares, and nothing once
// it has all expired and been swept.

const GCP_SET = "/v3/projects/acme-prod:setIamPolicy";
const GCP_GET = "/v3/projects/acme-prod:getIamPolicy";
const AZURE_PUT = /\/roleAssignmentScheduleRequests\/[0-9a-f-]{36}$/;
const AZURE_ROLES = /\/roleDefinitions$/;
const K8S_BINDINGS = "/apis/rbac.authorization.k8s.io/v1/namespaces/payments/rolebindings";
const ALICE = PEOPLE.alice!;

/** Each scenario starts its own world on its own day, so commits (and the bot's caches keyed by them) never meet. */
let day = 0;
const nextDay = () => new Date(Date.UTC(2026, 10, 1 + day++, 10));

/** Which of alice's three prod-db-reader bindings the cloud holds. */
function held(s: GrantsScenario): Record<ProviderName, boolean> {
  return {
    gcp: s.gcpRows().some((r) => r.member === ALICE.gcp && r.title === "jitops:alice-prod-db"),
    azure: s.azureLive().some((x) => x.principalId === ALICE.azure && x.scope === PROD.scope),
    kubernetes: s.k8sRows().some((b) => b.name === "jitops-alice-prod-db-0"),
  };
}

/** Cloud calls since the last reset, as `service METHOD operation status`. */
function writes(s: GrantsScenario, service?: "gcp" | "azure" | "kubernetes"): string[] {
  return s.cloud
    .callLog(service)
    .filter((c) => c.kind === "write")
    .map((c) => `${c.service} ${c.operation} ${c.status}`);
}

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

  /** A transient fault (429, 5xx) on one provider: retried within the apply (SDK or jitops), so nothing waits for a sweep. */
  const cases: {
    name: string;
    faults: CloudFaultSpec[];
    /** Providers whose binding is missing after the push (converged by the next sweep). */
    failedOnPush: ProviderName[];
    /** Faulted or delayed calls seen in the log. */
    faulted: number;
  }[] = [
    {
      name: "GCP 429 RESOURCE_EXHAUSTED with Retry-After on setIamPolicy",
      faults: [{ service: "gcp", path: GCP_SET, status: 429, retryAfter: 1 }],
      failedOnPush: [],
      faulted: 1,
    },
    {
      name: "GCP 503 on setIamPolicy",
      faults: [{ service: "gcp", path: GCP_SET, status: 503 }],
      failedOnPush: [],
      faulted: 1,
    },
    {
      name: "GCP 503 on the getIamPolicy that lists what is held",
      faults: [{ service: "gcp", path: GCP_GET, status: 503 }],
      failedOnPush: [],
      faulted: 1,
    },
    {
      name: "GCP slow answer then 504 (a timeout on Google's side)",
      faults: [{ service: "gcp", path: GCP_SET, status: 504, delayMs: 200 }],
      failedOnPush: [],
      faulted: 1,
    },
    {
      name: "Azure 429 TooManyRequests with Retry-After on the schedule request",
      faults: [{ service: "azure", method: "PUT", path: AZURE_PUT, status: 429, retryAfter: 1 }],
      failedOnPush: [],
      faulted: 1,
    },
    {
      name: "Azure 503 on the schedule request",
      faults: [{ service: "azure", method: "PUT", path: AZURE_PUT, status: 503 }],
      failedOnPush: [],
      faulted: 1,
    },
    {
      name: "Azure 500 on the roleDefinitions lookup",
      faults: [{ service: "azure", path: AZURE_ROLES, status: 500 }],
      failedOnPush: [],
      faulted: 1,
    },
    {
      name: "Azure slow answer then 504",
      faults: [{ service: "azure", method: "PUT", path: AZURE_PUT, status: 504, delayMs: 200 }],
      failedOnPush: [],
      faulted: 1,
    },
    {
      name: "Kubernetes 429 TooManyRequests with Retry-After on create",
      faults: [{ service: "kubernetes", method: "POST", path: K8S_BINDINGS, status: 429, retryAfter: 1 }],
      failedOnPush: [],
      faulted: 1,
    },
    {
      name: "Kubernetes 503 on create",
      faults: [{ service: "kubernetes", method: "POST", path: K8S_BINDINGS, status: 503 }],
      failedOnPush: [],
      faulted: 1,
    },
    {
      name: "Kubernetes 500 on the list of held bindings",
      faults: [{ service: "kubernetes", method: "GET", path: K8S_BINDINGS, status: 500 }],
      failedOnPush: [],
      faulted: 1,
    },
    {
      name: "slow answers (300 ms) from every cloud, reads and writes",
      faults: [
        { service: "gcp", path: /IamPolicy$/, delayMs: 300, times: 2 },
        { service: "azure", path: AZURE_PUT, delayMs: 300 },
        { service: "kubernetes", path: K8S_BINDINGS, delayMs: 300, times: 2 },
      ],
      failedOnPush: [],
      faulted: 0,
    },
  ];

  it.each(cases)("$name", async ({ faults, failedOnPush, faulted }) => {
    const sc = (s = await GrantsScenario.start(nextDay()));
    for (const f of faults) sc.cloud.failNext(f);
    const { pr, merge } = await sc.request("alice-prod-db", "alice");

    expect(sc.cloud.callLog().filter((c) => c.faulted)).toHaveLength(faulted);
    const all: ProviderName[] = ["gcp", "azure", "kubernetes"];
    expect(held(sc)).toEqual(Object.fromEntries(all.map((p) => [p, !failedOnPush.includes(p)])));
    expect(sc.grantStatuses(merge)).toEqual([failedOnPush.length > 0 ? "failure" : "success"]);
    const said = sc.comments(pr).at(-1)!;
    // The first apply says which bindings took and which did not.
    for (const p of all)
      expect(said).toMatch(
        new RegExp(`- ${failedOnPush.includes(p) ? "\\*\\*not granted\\*\\*" : "granted"} .*\\(${p}\\)`),
      );
    if (failedOnPush.length === 0) expect(sc.expectCloudMatchesGit()).toEqual(["alice-prod-db"]);

    sc.cloud.resetCalls();
    await sc.sweep();
    // The sweep writes only what was missing: one write per failed provider, none to the others.
    expect(writes(sc).map((w) => w.split(" ")[0])).toEqual(failedOnPush);
    expect(sc.expectCloudMatchesGit()).toEqual(["alice-prod-db"]);
    await sc.expectAllSwept();
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
