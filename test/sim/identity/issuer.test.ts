import { jest } from "@jest/globals";
import { getIDToken } from "@actions/core";
import { createRemoteJWKSet, jwtVerify } from "jose";
import { createIdentitySim, type IdentitySim } from "@jitops/sim/identity";

let sim: IdentitySim;
beforeAll(async () => {
  sim = createIdentitySim();
  await sim.start();
});
afterAll(() => sim.stop());

test("discovery and JWKS let jose verify a minted token", async () => {
  const disco = (await (await fetch(`${sim.urls.issuer}/.well-known/openid-configuration`)).json()) as Record<
    string,
    unknown
  >;
  expect(disco.issuer).toBe(sim.urls.issuer);
  expect(disco.id_token_signing_alg_values_supported).toEqual(["RS256"]);
  const jwt = await sim.mintToken({
    audience: "api://AzureADTokenExchange",
    claims: { repository: "acme/app", environment: "prod" },
  });
  const { payload, protectedHeader } = await jwtVerify(
    jwt,
    createRemoteJWKSet(new URL(String(disco.jwks_uri))),
    {
      issuer: sim.urls.issuer,
      audience: "api://AzureADTokenExchange",
    },
  );
  expect(protectedHeader.alg).toBe("RS256");
  expect(payload).toMatchObject({
    sub: "repo:acme/app:environment:prod",
    repository: "acme/app",
    repository_owner: "acme",
    environment: "prod",
    ref: "refs/heads/main",
    ref_type: "branch",
    event_name: "push",
    workflow_ref: "acme/app/.github/workflows/deploy.yml@refs/heads/main",
    runner_environment: "github-hosted",
  });
  for (const claim of [
    "repository_id",
    "repository_owner_id",
    "sha",
    "actor_id",
    "run_id",
    "run_attempt",
    "jti",
    "job_workflow_ref",
  ])
    expect(typeof payload[claim]).toBe("string");
  expect(payload.exp! - payload.iat!).toBe(300);
  expect(payload).not.toHaveProperty("head_ref");
});

test.each([
  [{ ref: "refs/heads/main" }, "classic", "repo:octo-org/octo-repo:ref:refs/heads/main"],
  [{ event_name: "pull_request" }, "classic", "repo:octo-org/octo-repo:pull_request"],
  [{ environment: "a:b" }, "classic", "repo:octo-org/octo-repo:environment:a%3Ab"],
  [
    { repository_id: "7", repository_owner_id: "9" },
    "immutable",
    "repo:octo-org@9/octo-repo@7:ref:refs/heads/main",
  ],
] as const)("subject of %j in %s form", async (claims, form, sub) => {
  const jwt = await sim.mintToken({ audience: "x", claims, subjectForm: form });
  const payload = JSON.parse(Buffer.from(jwt.split(".")[1] ?? "", "base64url").toString()) as Record<
    string,
    unknown
  >;
  expect(payload.sub).toBe(sub);
  if (claims === undefined || !("event_name" in claims)) return;
  expect(payload).toMatchObject({ head_ref: "feature", base_ref: "main", ref: "refs/pull/1/merge" });
});

test("a token signed by a retired key no longer verifies", async () => {
  const old = await sim.mintToken({ audience: "x" });
  await sim.rotateIssuerKey();
  sim.retireOldIssuerKeys();
  const jwks = createRemoteJWKSet(new URL(`${sim.urls.issuer}/.well-known/jwks`));
  await expect(jwtVerify(old, jwks)).rejects.toThrow();
  await expect(jwtVerify(await sim.mintToken({ audience: "x" }), jwks)).resolves.toBeDefined();
});

describe("Actions runtime endpoint", () => {
  const saved = { ...process.env };
  afterEach(() => {
    process.env = { ...saved };
  });

  test("@actions/core getIDToken gets the current job's token with the requested audience", async () => {
    Object.assign(process.env, sim.actionsEnv());
    sim.setJob({ claims: { repository: "acme/app", repository_id: "42", environment: "prod" } });
    const write = jest.spyOn(process.stdout, "write").mockImplementation(() => true);
    const jwt = await getIDToken("https://iam.googleapis.com/projects/1/x").finally(() =>
      write.mockRestore(),
    );
    const { payload } = await jwtVerify(
      jwt,
      createRemoteJWKSet(new URL(`${sim.urls.issuer}/.well-known/jwks`)),
    );
    expect(payload).toMatchObject({
      aud: "https://iam.googleapis.com/projects/1/x",
      repository_id: "42",
      sub: "repo:acme/app:environment:prod",
    });
    expect(sim.callLog("actions").at(-1)).toMatchObject({ method: "GET", path: "/id-token", status: 200 });
  });

  test("without audience GitHub's default is the owner URL; a wrong request token is refused", async () => {
    sim.setJob({ claims: { repository: "acme/app" } });
    const res = await fetch(sim.urls.actionsIdTokenUrl, {
      headers: { authorization: `Bearer ${sim.actionsEnv().ACTIONS_ID_TOKEN_REQUEST_TOKEN}` },
    });
    const { value } = (await res.json()) as { value: string };
    expect(JSON.parse(Buffer.from(value.split(".")[1] ?? "", "base64url").toString()).aud).toBe(
      "https://github.com/acme",
    );
    const bad = await fetch(sim.urls.actionsIdTokenUrl, { headers: { authorization: "Bearer nope" } });
    expect(bad.status).toBe(401);
  });
});
