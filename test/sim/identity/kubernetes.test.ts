import { createRemoteJWKSet, jwtVerify } from "jose";
import { createIdentitySim, type IdentitySim } from "@jitops/sim/identity";

let sim: IdentitySim;
beforeAll(async () => {
  sim = createIdentitySim();
  await sim.start();
  await sim.createCluster("prod");
  await sim.createCluster("dark", { private: true });
});
afterAll(() => sim.stop());

test("a cluster issues projected service-account tokens verifiable through its discovery document and JWKS", async () => {
  const issuer = sim.clusterIssuer("prod");
  const disco = (await (await fetch(`${issuer}/.well-known/openid-configuration`)).json()) as {
    issuer: string;
    jwks_uri: string;
  };
  expect(disco.issuer).toBe(issuer);
  expect(disco.jwks_uri).toBe(`${issuer}/openid/v1/jwks`);
  const jwt = await sim.mintPodToken({
    cluster: "prod",
    namespace: "payments",
    serviceAccount: "api",
    audience: "api://AzureADTokenExchange",
    pod: "api-0",
  });
  const { payload } = await jwtVerify(jwt, createRemoteJWKSet(new URL(disco.jwks_uri)), {
    issuer,
    audience: "api://AzureADTokenExchange",
  });
  expect(payload).toMatchObject({
    sub: "system:serviceaccount:payments:api",
    aud: ["api://AzureADTokenExchange"],
    "kubernetes.io": {
      namespace: "payments",
      pod: { name: "api-0", uid: expect.any(String) },
      serviceaccount: { name: "api", uid: expect.any(String) },
    },
  });
  for (const c of ["exp", "iat", "nbf"]) expect(typeof payload[c]).toBe("number");
  expect(payload.exp! - payload.iat!).toBe(3607);
});

test("a private cluster publishes nothing; its JWKS is what a cloud must be given", async () => {
  const issuer = sim.clusterIssuer("dark");
  expect((await fetch(`${issuer}/.well-known/openid-configuration`)).status).toBe(404);
  expect((await fetch(`${issuer}/openid/v1/jwks`)).status).toBe(404);
  expect(sim.clusterJwks("dark").keys).toHaveLength(1);
});

test("GCP STS verifies a private cluster's token with the provider's uploaded keys, and refuses without them", async () => {
  const pool = "projects/123/locations/global/workloadIdentityPools/kubernetes";
  const mapping = { "google.subject": "assertion.sub" };
  sim.createWorkloadIdentityProvider(`${pool}/providers/dark-keys`, {
    issuerUri: sim.clusterIssuer("dark"),
    attributeMapping: mapping,
    jwksJson: JSON.stringify(sim.clusterJwks("dark")),
  });
  sim.createWorkloadIdentityProvider(`${pool}/providers/dark-fetch`, {
    issuerUri: sim.clusterIssuer("dark"),
    attributeMapping: mapping,
  });
  const sts = async (provider: string) => {
    const subjectToken = await sim.mintPodToken({
      cluster: "dark",
      namespace: "batch",
      serviceAccount: "runner",
      audience: `https://iam.googleapis.com/${pool}/providers/${provider}`,
    });
    const res = await fetch(`${sim.urls.sts}/v1/token`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({
        grantType: "urn:ietf:params:oauth:grant-type:token-exchange",
        audience: `//iam.googleapis.com/${pool}/providers/${provider}`,
        scope: "https://www.googleapis.com/auth/cloud-platform",
        subjectTokenType: "urn:ietf:params:oauth:token-type:jwt",
        subjectToken,
      }),
    });
    return { status: res.status, body: (await res.json()) as Record<string, string> };
  };
  expect((await sts("dark-keys")).status).toBe(200);
  const refused = await sts("dark-fetch");
  expect(refused.status).toBe(400);
  expect(refused.body.error_description).toContain("Unable to retrieve the public keys");
  expect(sim.gcpIssuedTokens().at(-1)).toMatchObject({
    principal: `principal://iam.googleapis.com/${pool}/subject/system:serviceaccount:batch:runner`,
  });
});

test("GKE: the metadata server's exchange gives the pod's principal in PROJECT.svc.id.goog, for an enabled cluster only", async () => {
  sim.enableGkeWorkloadIdentity("prod", { project: "acme-prod", projectNumber: 123 });
  const exchange = async (cluster: string) => {
    const res = await fetch(`${sim.urls.sts}/v1/token`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({
        grantType: "urn:ietf:params:oauth:grant-type:token-exchange",
        audience: `identitynamespace:acme-prod.svc.id.goog:${sim.clusterIssuer(cluster)}`,
        scope: "https://www.googleapis.com/auth/cloud-platform",
        subjectTokenType: "urn:ietf:params:oauth:token-type:jwt",
        subjectToken: await sim.mintPodToken({
          cluster,
          namespace: "payments",
          serviceAccount: "api",
          audience: "acme-prod.svc.id.goog",
        }),
      }),
    });
    return res.status;
  };
  expect(await exchange("prod")).toBe(200);
  expect(sim.gcpIssuedTokens().at(-1)).toMatchObject({
    principal:
      "principal://iam.googleapis.com/projects/123/locations/global/workloadIdentityPools/acme-prod.svc.id.goog/subject/ns/payments/sa/api",
  });
  expect(await exchange("dark")).toBe(400);
  expect(sim.stsRejections().at(-1)?.description).toContain("not enabled on it");
});
