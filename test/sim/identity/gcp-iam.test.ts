import { createIdentitySim, type IdentitySim } from "@jitops/sim/identity";
import { AUDIENCE, CONDITION, exchange, GOOD, POOL_SET, PROVIDER, SA, seedGcp } from "./gcp-fixture.js";

/** The fields these tests read from IAM answers. */
interface GBody {
  accessToken?: string;
  expireTime?: string;
  etag?: string;
  bindings?: unknown;
  error?: { message: string; details: unknown[] };
}

let sim: IdentitySim;
beforeAll(async () => {
  sim = createIdentitySim();
  await sim.start();
  seedGcp(sim);
});
afterAll(() => sim.stop());

async function federated(): Promise<string> {
  const { body } = await exchange(sim, await sim.mintToken({ audience: AUDIENCE, claims: GOOD }));
  return String(body.access_token);
}

async function generate(
  token: string,
  email = SA,
  body: unknown = {
    scope: ["https://www.googleapis.com/auth/cloud-platform"],
    lifetime: "600s",
    delegates: [],
  },
) {
  const res = await fetch(
    `${sim.urls.iamCredentials}/v1/projects/-/serviceAccounts/${email}:generateAccessToken`,
    {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify(body),
    },
  );
  return { status: res.status, body: (await res.json()) as GBody };
}

async function iam(method: string, path: string, body?: unknown) {
  const res = await fetch(`${sim.urls.iam}/v1/${path}`, {
    method,
    headers: { authorization: "Bearer admin", "content-type": "application/json" },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  return { status: res.status, body: (await res.json()) as GBody };
}

test("generateAccessToken is allowed for the principalSet bound with workloadIdentityUser", async () => {
  const { status, body } = await generate(await federated());
  expect(status).toBe(200);
  expect(body.accessToken).toMatch(/^ya29\./);
  expect(Date.parse(body.expireTime ?? "") - Date.now()).toBeGreaterThan(590_000);
  expect(sim.gcpIssuedTokens().at(-1)).toMatchObject({ kind: "service-account", serviceAccount: SA });
});

test("denied without a binding for this repository, with Google's 403 body", async () => {
  const other = "other@acme-prod.iam.gserviceaccount.com";
  sim.setServiceAccountPolicy(other, [
    { role: "roles/iam.workloadIdentityUser", members: [`${POOL_SET}/attribute.repository_id/999`] },
  ]);
  const { status, body } = await generate(await federated(), other);
  expect(status).toBe(403);
  expect(body.error).toMatchObject({
    code: 403,
    status: "PERMISSION_DENIED",
    message: "Permission 'iam.serviceAccounts.getAccessToken' denied on resource (or it may not exist).",
  });
  expect(body.error?.details[0]).toMatchObject({ reason: "IAM_PERMISSION_DENIED" });
  expect((await generate(await federated(), "missing@acme.iam.gserviceaccount.com")).status).toBe(403);
});

test("a binding on a different role does not allow impersonation", async () => {
  const viewer = "viewer@acme-prod.iam.gserviceaccount.com";
  sim.setServiceAccountPolicy(viewer, [
    { role: "roles/iam.serviceAccountUser", members: [`${POOL_SET}/attribute.repository_id/100`] },
  ]);
  expect((await generate(await federated(), viewer)).status).toBe(403);
});

test("lifetime above 3600s and an unknown bearer are refused", async () => {
  const t = await federated();
  const long = await generate(t, SA, {
    scope: ["https://www.googleapis.com/auth/cloud-platform"],
    lifetime: "7200s",
  });
  expect(long.status).toBe(400);
  expect(long.body.error?.message).toMatch(/3600s/);
  expect((await generate("ya29.not-issued")).status).toBe(401);
});

test("setIamPolicy with a stale etag gets 409; with the current etag it replaces the bindings", async () => {
  const email = "etag@acme-prod.iam.gserviceaccount.com";
  sim.createServiceAccount(email);
  const path = `projects/-/serviceAccounts/${email}`;
  const read = await iam("POST", `${path}:getIamPolicy`, {});
  const binding = {
    role: "roles/iam.workloadIdentityUser",
    members: [`${POOL_SET}/attribute.repository_id/100`],
  };
  const ok = await iam("POST", `${path}:setIamPolicy`, {
    policy: { etag: read.body.etag, bindings: [binding] },
  });
  expect(ok.status).toBe(200);
  expect(ok.body.bindings).toEqual([binding]);
  const stale = await iam("POST", `${path}:setIamPolicy`, { policy: { etag: read.body.etag, bindings: [] } });
  expect(stale).toMatchObject({ status: 409, body: { error: { status: "ABORTED" } } });
  const badMember = await iam("POST", `${path}:setIamPolicy`, {
    policy: { bindings: [{ role: "roles/iam.workloadIdentityUser", members: ["repo:acme/app"] }] },
  });
  expect(badMember.status).toBe(400);
});

test("provider GET and PATCH with updateMask; IAM's limits are enforced", async () => {
  const got = await iam("GET", PROVIDER);
  expect(got.body).toMatchObject({
    name: PROVIDER,
    state: "ACTIVE",
    attributeCondition: CONDITION,
    oidc: { issuerUri: sim.urls.issuer },
  });
  const tighter = `${CONDITION} && assertion.runner_environment == 'github-hosted'`;
  const patched = await iam("PATCH", `${PROVIDER}?updateMask=attributeCondition`, {
    attributeCondition: tighter,
  });
  expect(patched.body).toMatchObject({ done: true, response: { attributeCondition: tighter } });
  expect(sim.workloadIdentityProvider(PROVIDER)?.attributeCondition).toBe(tighter);
  const cases: [string, unknown][] = [
    ["attributeCondition", { attributeCondition: "" }],
    ["attributeCondition", { attributeCondition: `${"assertion.a == 'b' || ".repeat(200)}true` }],
    ["attributeCondition", { attributeCondition: "assertion.repository_id ==" }],
    ["attributeMapping", { attributeMapping: { "attribute.repository_id": "assertion.repository_id" } }],
    ["attributeMapping", { attributeMapping: { "google.subject": `assertion.sub + '${"x".repeat(2048)}'` } }],
  ];
  for (const [mask, body] of cases) {
    const res = await iam("PATCH", `${PROVIDER}?updateMask=${mask}`, body);
    expect(res).toMatchObject({ status: 400, body: { error: { status: "INVALID_ARGUMENT" } } });
  }
  expect(sim.workloadIdentityProvider(PROVIDER)?.attributeCondition).toBe(tighter);
  await iam("PATCH", `${PROVIDER}?updateMask=attributeCondition`, { attributeCondition: CONDITION });
});

test("creating a GitHub provider without a condition fails", () => {
  expect(() =>
    sim.createWorkloadIdentityProvider(`${PROVIDER}x`, {
      issuerUri: sim.urls.issuer,
      attributeMapping: { "google.subject": "assertion.sub" },
    }),
  ).toThrow(/attribute condition must be set/);
});
