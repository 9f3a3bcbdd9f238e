import type { ProviderName } from "../../core/plan/binding.js";
import type { CloudFaultSpec } from "@jitops/sim/cloud";
import { GrantsScenario } from "./helpers/grants-scenario.js";
import {
  AZURE_PUT,
  AZURE_ROLES,
  GCP_GET,
  GCP_SET,
  K8S_BINDINGS,
  held,
  nextDay,
  writes,
} from "./helpers/grants-faults.js";

// Fault injection through the embedded clouds, with the real bot and providers between them (as in
// `jitops demo`). After every scenario the cloud holds exactly what Git declares, and nothing once
// it has all expired and been swept.

describe("grants under transient cloud faults (sim/cloud fault injection, real bot and providers)", () => {
  let s: GrantsScenario | undefined;
  afterEach(async () => {
    await s?.close();
    s = undefined;
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
});
