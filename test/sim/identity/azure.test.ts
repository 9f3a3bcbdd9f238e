import { Agent } from "node:https";
import { ClientAssertionCredential } from "@azure/identity";
import {
  createIdentitySim,
  type GitHubJobClaims,
  type IdentitySim,
  type MintOptions,
} from "@jitops/sim/identity";

const TENANT = "11111111-1111-4111-8111-111111111111";
const CLIENT = "22222222-2222-4222-8222-222222222222";
const OBJECT = "33333333-3333-4333-8333-333333333333";
const EXCHANGE = "api://AzureADTokenExchange";
const SUBJECT = "repo:acme/app:environment:prod";
const JOB: GitHubJobClaims = { repository: "acme/app", repository_id: "100", environment: "prod" };

let now = new Date("2026-05-01T12:00:00Z");
let sim: IdentitySim;
beforeAll(async () => {
  sim = createIdentitySim({ clock: () => now });
  await sim.start();
  sim.createAzureApp({ tenantId: TENANT, clientId: CLIENT, objectId: OBJECT });
  sim.addFederatedCredential(OBJECT, {
    name: "acme-app-prod",
    issuer: sim.urls.issuer,
    subject: SUBJECT,
    audiences: [EXCHANGE],
  });
});
afterAll(() => sim.stop());

async function token(claims: GitHubJobClaims, mint: Partial<MintOptions> = {}) {
  const form = new URLSearchParams({
    client_id: CLIENT,
    scope: "https://management.azure.com/.default",
    grant_type: "client_credentials",
    client_assertion_type: "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
    client_assertion: await sim.mintToken({ audience: EXCHANGE, claims, ...mint }),
  });
  const res = await fetch(`${sim.urls.azureLoginHttp}/${TENANT}/oauth2/v2.0/token`, {
    method: "POST",
    body: form,
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

test("an assertion whose sub equals the credential's subject gets a token", async () => {
  const { status, body } = await token(JOB);
  expect(status).toBe(200);
  expect(body).toMatchObject({ token_type: "Bearer", expires_in: 3599 });
  expect(sim.azureIssuedTokens().at(-1)).toMatchObject({
    token: body.access_token,
    credential: "acme-app-prod",
    subject: SUBJECT,
  });
});

test.each<[string, GitHubJobClaims, Partial<MintOptions>, number, string]>([
  ["another environment", { ...JOB, environment: "staging" }, {}, 401, "AADSTS700213"],
  ["a different case", { ...JOB, repository: "Acme/app" }, {}, 401, "AADSTS700213"],
  ["the immutable subject form", JOB, { subjectForm: "immutable" }, 401, "AADSTS700213"],
  ["another audience", JOB, { audience: "https://github.com/acme" }, 401, "AADSTS700212"],
  ["an expired assertion", JOB, { issuedAt: new Date("2026-05-01T11:50:00Z") }, 401, "AADSTS700024"],
])("refused: %s", async (_name, claims, mint, status, code) => {
  const res = await token(claims, mint);
  expect(res.status).toBe(status);
  expect(res.body.error).toBe("invalid_client");
  expect(String(res.body.error_description).startsWith(`${code}:`)).toBe(true);
  expect(res.body.error_codes).toEqual([Number(code.slice(6))]);
});

test("an app without federated credentials answers AADSTS70021", async () => {
  sim.createAzureApp({ tenantId: TENANT, clientId: "c2", objectId: "o2" });
  const form = new URLSearchParams({
    client_id: "c2",
    scope: "https://graph.microsoft.com/.default",
    grant_type: "client_credentials",
    client_assertion_type: "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
    client_assertion: await sim.mintToken({ audience: EXCHANGE, claims: JOB }),
  });
  const res = await fetch(`${sim.urls.azureLoginHttp}/${TENANT}/oauth2/v2.0/token`, {
    method: "POST",
    body: form,
  });
  const body = (await res.json()) as Record<string, unknown>;
  expect(res.status).toBe(400);
  expect(String(body.error_description)).toMatch(
    /^AADSTS70021: No matching federated identity record found for presented assertion\./,
  );
});

describe("@azure/identity ClientAssertionCredential", () => {
  const credential = (getAssertion: () => Promise<string>) =>
    new ClientAssertionCredential(TENANT, CLIENT, getAssertion, {
      authorityHost: sim.urls.azureLogin,
      disableInstanceDiscovery: true,
      agent: new Agent({ ca: sim.tlsCertificate }),
    });

  test("obtains a token from the sim with the job's assertion", async () => {
    now = new Date();
    sim.resetCalls();
    const cred = credential(() => sim.mintToken({ audience: EXCHANGE, claims: JOB }));
    const got = await cred.getToken("https://management.azure.com/.default");
    expect(got.token).toBe(sim.azureIssuedTokens().at(-1)?.token);
    expect(got.expiresOnTimestamp).toBeGreaterThan(Date.now() + 3_000_000);
    expect(sim.callLog("azure-login").map((c) => c.path)).toEqual([
      `/${TENANT}/v2.0/.well-known/openid-configuration`,
      `/${TENANT}/oauth2/v2.0/token`,
    ]);
  });

  test("a wrong subject surfaces as AADSTS700213", async () => {
    const cred = credential(() =>
      sim.mintToken({ audience: EXCHANGE, claims: { ...JOB, environment: "dev" } }),
    );
    await expect(cred.getToken("https://management.azure.com/.default")).rejects.toThrow(/AADSTS700213/);
  });
});
