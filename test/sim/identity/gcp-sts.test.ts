import {
  createIdentitySim,
  type GitHubJobClaims,
  type IdentitySim,
  type MintOptions,
} from "@jitops/sim/identity";
import { AUDIENCE, exchange, GOOD, POOL_SET, PROVIDER, seedGcp } from "./gcp-fixture.js";

let now = new Date("2026-05-01T12:00:00Z");
let sim: IdentitySim;
beforeAll(async () => {
  sim = createIdentitySim({ clock: () => now });
  await sim.start();
  seedGcp(sim);
});
afterAll(() => sim.stop());
beforeEach(() => {
  now = new Date("2026-05-01T12:00:00Z");
});

test.each([false, true])("a matching job token is exchanged (form body: %s)", async (form) => {
  const jwt = await sim.mintToken({ audience: `https:${AUDIENCE}`, claims: GOOD });
  const { status, body } = await exchange(sim, jwt, { form });
  expect(status).toBe(200);
  expect(body).toMatchObject({
    issued_token_type: "urn:ietf:params:oauth:token-type:access_token",
    token_type: "Bearer",
    expires_in: 3600,
  });
  const issued = sim.gcpIssuedTokens().find((t) => t.token === body.access_token);
  expect(issued).toMatchObject({
    kind: "federated",
    provider: PROVIDER,
    subject: "repo:acme/app:environment:prod",
    principal:
      "principal://iam.googleapis.com/projects/123456/locations/global/workloadIdentityPools/jitops-pool/subject/repo:acme/app:environment:prod",
  });
  expect(issued?.principalSets).toContain(`${POOL_SET}/attribute.repository_id/100`);
});

const refusals: [string, GitHubJobClaims, Partial<MintOptions>, string, RegExp][] = [
  [
    "wrong repository_id",
    { repository_id: "101" },
    {},
    "unauthorized_client",
    /rejected by the attribute condition/,
  ],
  [
    "wrong owner id (same owner name)",
    { repository_owner_id: "201" },
    {},
    "unauthorized_client",
    /attribute condition/,
  ],
  ["another branch", { ref: "refs/heads/feature" }, {}, "unauthorized_client", /attribute condition/],
  ["another environment", { environment: "staging" }, {}, "unauthorized_client", /attribute condition/],
  ["no environment", { environment: undefined }, {}, "unauthorized_client", /attribute condition/],
  [
    "another workflow",
    { workflow_ref: "acme/app/.github/workflows/evil.yml@refs/heads/main" },
    {},
    "unauthorized_client",
    /attribute condition/,
  ],
  [
    "a fork's pull_request",
    {
      event_name: "pull_request",
      ref: "refs/pull/7/merge",
      head_ref: "attacker:main",
      base_ref: "main",
      environment: undefined,
    },
    {},
    "unauthorized_client",
    /attribute condition/,
  ],
  [
    "wrong audience",
    {},
    { audience: "https://github.com/acme" },
    "invalid_grant",
    /audience in ID Token \[https:\/\/github.com\/acme\]/,
  ],
  [
    "an expired token",
    {},
    { issuedAt: new Date("2026-05-01T11:50:00Z") },
    "invalid_grant",
    /expired at 2026-05-01T11:55:00.000Z/,
  ],
  [
    "a token not yet valid",
    {},
    { issuedAt: new Date("2026-05-01T12:10:00Z") },
    "invalid_grant",
    /not valid before/,
  ],
];

test.each(refusals)("refused: %s", async (_name, claims, mint, error, description) => {
  const jwt = await sim.mintToken({ audience: AUDIENCE, ...mint, claims: { ...GOOD, ...claims } });
  const { status, body } = await exchange(sim, jwt);
  expect(status).toBe(400);
  expect(body.error).toBe(error);
  expect(String(body.error_description)).toMatch(description);
  expect(body).not.toHaveProperty("access_token");
});

test("a token signed by another key (same kid space, not published) is refused", async () => {
  const jwt = await sim.mintToken({ audience: AUDIENCE, claims: GOOD });
  const [h, p] = jwt.split(".");
  const forged = `${h}.${Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(p ?? "", "base64url").toString()), repository_id: "100" })).toString("base64url")}.${"A".repeat(342)}`;
  const { body } = await exchange(sim, forged);
  expect(body).toMatchObject({ error: "invalid_grant" });
  expect(String(body.error_description)).toMatch(/signature/);
});

test("an unknown provider and a malformed audience are refused as Google does", async () => {
  const jwt = await sim.mintToken({ audience: AUDIENCE, claims: GOOD });
  expect((await exchange(sim, jwt, { audience: `${AUDIENCE}x` })).body.error).toBe("invalid_target");
  expect((await exchange(sim, jwt, { audience: PROVIDER })).body.error).toBe("invalid_request");
});

test("the sim records why the condition refused", async () => {
  const jwt = await sim.mintToken({ audience: AUDIENCE, claims: { ...GOOD, repository_id: "999" } });
  await exchange(sim, jwt);
  expect(sim.stsRejections().at(-1)).toMatchObject({
    error: "unauthorized_client",
    detail: "the condition evaluated to false",
  });
});

test("faults: a planned 503 answers once, then STS works; calls are counted", async () => {
  sim.resetCalls();
  sim.failNext({ service: "sts", path: "/v1/token", status: 503 });
  const jwt = await sim.mintToken({ audience: AUDIENCE, claims: GOOD });
  expect((await exchange(sim, jwt)).status).toBe(503);
  expect((await exchange(sim, jwt)).status).toBe(200);
  expect(sim.calls("sts")).toBe(2);
  expect(sim.callLog("sts").map((c) => c.faulted)).toEqual([true, false]);
  // STS fetched the issuer's discovery document and keys over HTTP for the successful exchange.
  expect(sim.calls("issuer")).toBe(2);
});

test("an issuer outage makes STS refuse (keys cannot be fetched)", async () => {
  sim.failNext({ service: "issuer", path: "/.well-known/openid-configuration", status: 500 });
  const jwt = await sim.mintToken({ audience: AUDIENCE, claims: GOOD });
  const { body } = await exchange(sim, jwt);
  expect(body.error).toBe("invalid_grant");
  expect(String(body.error_description)).toMatch(/public keys.*HTTP 500/);
});
