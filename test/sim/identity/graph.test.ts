import { createIdentitySim, type IdentitySim } from "@jitops/sim/identity";

const OBJECT = "33333333-3333-4333-8333-333333333333";
/** The fields these tests read from Graph answers. */
interface GraphBody {
  id?: string;
  value?: unknown[];
  error?: { code: string; message: string };
}

let sim: IdentitySim;
beforeAll(async () => {
  sim = createIdentitySim();
  await sim.start();
  sim.createAzureApp({ tenantId: "t1", clientId: "c1", objectId: OBJECT });
});
afterAll(() => sim.stop());

const fic = (name: string, subject = `repo:acme/app:environment:${name}`) => ({
  name,
  issuer: sim.urls.issuer,
  subject,
  audiences: ["api://AzureADTokenExchange"],
});

async function graph(method: string, path: string, body?: unknown) {
  const res = await fetch(
    `${sim.urls.graph}/v1.0/applications/${OBJECT}/federatedIdentityCredentials${path}`,
    {
      method,
      headers: { authorization: "Bearer graph-token", "content-type": "application/json" },
      ...(body ? { body: JSON.stringify(body) } : {}),
    },
  );
  return {
    status: res.status,
    body: res.status === 204 ? undefined : ((await res.json()) as GraphBody),
  };
}

test("create, list, rename refused, delete", async () => {
  const created = await graph("POST", "", fic("prod"));
  expect(created.status).toBe(201);
  expect(created.body).toMatchObject({ ...fic("prod"), id: expect.any(String) });
  expect((await graph("GET", "")).body?.value).toHaveLength(1);
  const rename = await graph("PATCH", `/${created.body?.id}`, { name: "prod2" });
  expect(rename).toMatchObject({ status: 400, body: { error: { code: "Request_BadRequest" } } });
  expect((await graph("POST", "", fic("prod"))).body?.error?.code).toBe(
    "Request_MultipleObjectsWithSameKeyValue",
  );
  expect((await graph("DELETE", `/${created.body?.id}`)).status).toBe(204);
  expect((await graph("GET", "")).body?.value).toEqual([]);
});

test.each([
  ["a 2-character name", () => fic("ab")],
  ["two audiences", () => ({ ...fic("two"), audiences: ["api://AzureADTokenExchange", "x"] })],
  ["a wildcard subject", () => fic("wild", "repo:acme/*")],
])("refused: %s", async (_n, body) => {
  expect((await graph("POST", "", body())).status).toBe(400);
});

test("concurrent creation on one app gets 409; one at a time works; at most 20", async () => {
  const results = await Promise.all([graph("POST", "", fic("one")), graph("POST", "", fic("two-b"))]);
  expect(results.map((r) => r.status).sort()).toEqual([201, 409]);
  sim.setGraphWriteLatency(0);
  for (let i = sim.azureApp(OBJECT)?.federatedIdentityCredentials.length ?? 0; i < 20; i++)
    expect((await graph("POST", "", fic(`cred-${i}`))).status).toBe(201);
  expect((await graph("POST", "", fic("over"))).body?.error?.message).toMatch(/maximum of 20/);
});

test("an unauthenticated call gets 401", async () => {
  const res = await fetch(`${sim.urls.graph}/v1.0/applications/${OBJECT}/federatedIdentityCredentials`);
  expect(res.status).toBe(401);
});

test("a planned delay slows one call, then a planned 429 answers in Graph's error shape", async () => {
  sim.failNext({ service: "graph", method: "GET", delayMs: 150 });
  const started = Date.now();
  expect((await graph("GET", "")).status).toBe(200);
  expect(Date.now() - started).toBeGreaterThanOrEqual(140);
  sim.failNext({ service: "graph", status: 429, retryAfter: 3 });
  expect(await graph("GET", "")).toMatchObject({ status: 429, body: { error: { code: "TooManyRequests" } } });
});
