import type { ProjectsClient } from "@google-cloud/resource-manager";
import { createCloudSim, type CloudSim, type CloudSimUrls } from "@jitops/sim/cloud";
import { gcpClients } from "./helpers/sdk-clients.js";

describe("cloud simulator fault injection and call counting", () => {
  let sim: CloudSim;
  let urls: CloudSimUrls;
  let projects: ProjectsClient;

  beforeAll(async () => {
    sim = createCloudSim();
    urls = await sim.start();
    ({ projects } = gcpClients(urls));
    sim.gcpCreateResource("projects/p1");
  });
  afterAll(async () => {
    await projects.close();
    await sim.stop();
  });
  beforeEach(() => {
    sim.clearFaults();
    sim.resetCalls();
  });

  const get = (url: string) => fetch(url, { headers: { authorization: "Bearer t" } });

  test("a planned 409 on setIamPolicy answers GCP's ABORTED shape once, then the call goes through", async () => {
    sim.failNext({ service: "gcp", path: "/v3/projects/p1:setIamPolicy", status: 409 });
    const [p] = await projects.getIamPolicy({ resource: "projects/p1" });
    const set = () =>
      projects.setIamPolicy({ resource: "projects/p1", policy: { etag: p.etag, bindings: [] } });
    await expect(set()).rejects.toMatchObject({ status: 409 });
    await expect(set()).resolves.toBeDefined();
    expect(sim.callLog("gcp").map((c) => [c.operation, c.status, c.faulted])).toEqual([
      ["getIamPolicy", 200, false],
      ["setIamPolicy", 409, true],
      ["setIamPolicy", 200, false],
    ]);
  });

  test("429 with Retry-After and 503 per service, in each service's error shape", async () => {
    sim.failNext({ service: "azure", method: "GET", path: /roleDefinitions$/, status: 429, retryAfter: 7 });
    sim.failNext({ service: "kubernetes", path: /clusterrolebindings/, status: 503, times: 2 });
    const a = await get(
      `${urls.azureUrl}/subscriptions/s/providers/Microsoft.Authorization/roleDefinitions?api-version=2022-04-01`,
    );
    expect(a.status).toBe(429);
    expect(a.headers.get("retry-after")).toBe("7");
    expect(await a.json()).toMatchObject({ error: { code: "TooManyRequests" } });
    for (let i = 0; i < 2; i++) {
      const k = await get(`${urls.kubernetesUrl}/apis/rbac.authorization.k8s.io/v1/clusterrolebindings`);
      expect(k.status).toBe(503);
      expect(await k.json()).toMatchObject({ kind: "Status", code: 503, reason: "ServiceUnavailable" });
    }
    expect(
      (await get(`${urls.kubernetesUrl}/apis/rbac.authorization.k8s.io/v1/clusterrolebindings`)).status,
    ).toBe(200);
  });

  test("a custom body replaces the default one", async () => {
    sim.failNext({
      service: "gcp",
      path: /getIamPolicy/,
      status: 500,
      body: { error: { code: 500, message: "boom", status: "INTERNAL" } },
    });
    await expect(projects.getIamPolicy({ resource: "projects/p1" })).rejects.toMatchObject({ status: 500 });
  });

  test("delayMs makes a slow answer that a client timeout cuts short", async () => {
    sim.failNext({ service: "azure", path: /roleDefinitions$/, delayMs: 300 });
    const url = `${urls.azureUrl}/subscriptions/s/providers/Microsoft.Authorization/roleDefinitions?api-version=2022-04-01`;
    await expect(
      fetch(url, { headers: { authorization: "Bearer t" }, signal: AbortSignal.timeout(50) }),
    ).rejects.toMatchObject({ name: "TimeoutError" });
    // The simulator logs the cut-short call when its delayed answer is done; wait for it, or it
    // lands in the next test's counts on a loaded machine.
    for (let waited = 0; sim.calls("azure").total === 0 && waited < 5000; waited += 20)
      await new Promise((r) => setTimeout(r, 20));
    sim.failNext({ service: "gcp", path: "/v3/projects/p1:getIamPolicy", delayMs: 100 });
    const slow = Date.now();
    await projects.getIamPolicy({ resource: "projects/p1" });
    expect(Date.now() - slow).toBeGreaterThanOrEqual(95);
  });

  test("calls split into reads and writes per service, and reads per resource", async () => {
    sim.gcpCreateResource("projects/p2");
    await projects.getIamPolicy({ resource: "projects/p1" });
    await projects.getIamPolicy({ resource: "projects/p1" });
    const [p] = await projects.getIamPolicy({ resource: "projects/p2" });
    await projects.setIamPolicy({ resource: "projects/p2", policy: { etag: p.etag, bindings: [] } });
    await get(`${urls.kubernetesUrl}/apis/rbac.authorization.k8s.io/v1/namespaces/default/rolebindings`);
    expect(sim.calls("gcp")).toEqual({ total: 4, reads: 3, writes: 1 });
    expect(sim.calls()).toEqual({ total: 5, reads: 4, writes: 1 });
    expect(sim.readsPerResource("gcp")).toEqual({ "gcp:projects/p1": 2, "gcp:projects/p2": 1 });
    expect(sim.readsPerResource()).toMatchObject({ "kubernetes:default/rolebindings/*": 1 });
    sim.resetCalls();
    expect(sim.calls()).toEqual({ total: 0, reads: 0, writes: 0 });
  });
});
