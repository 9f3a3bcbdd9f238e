import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ExternalAccountClient } from "google-auth-library";
import { createIdentitySim, type IdentitySim } from "@jitops/sim/identity";
import { AUDIENCE, GOOD, SA, seedGcp } from "./gcp-fixture.js";

let sim: IdentitySim;
let dir: string;
beforeAll(async () => {
  sim = createIdentitySim();
  await sim.start();
  seedGcp(sim);
  dir = mkdtempSync(join(tmpdir(), "jitops-idsim-"));
});
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await sim.stop();
});

/** The ADC file jitops writes, with the Google endpoints replaced by the sim's. */
function adc(tokenFile: string) {
  return {
    type: "external_account" as const,
    audience: AUDIENCE,
    subject_token_type: "urn:ietf:params:oauth:token-type:jwt",
    token_url: `${sim.urls.sts}/v1/token`,
    service_account_impersonation_url: `${sim.urls.iamCredentials}/v1/projects/-/serviceAccounts/${SA}:generateAccessToken`,
    credential_source: { file: tokenFile },
  };
}

test("ExternalAccountClient.fromJSON gets a service-account token through the sim's STS and IAM Credentials", async () => {
  const tokenFile = join(dir, "token.jwt");
  writeFileSync(tokenFile, await sim.mintToken({ audience: AUDIENCE, claims: GOOD }));
  sim.resetCalls();
  const client = ExternalAccountClient.fromJSON(adc(tokenFile));
  if (!client) throw new Error("fromJSON returned null");
  const { token } = await client.getAccessToken();
  const issued = sim.gcpIssuedTokens();
  expect(token).toBe(issued.at(-1)?.token);
  expect(issued.at(-1)).toMatchObject({ kind: "service-account", serviceAccount: SA });
  expect(issued.at(-2)).toMatchObject({ kind: "federated", subject: "repo:acme/app:environment:prod" });
  expect(sim.callLog().map((c) => `${c.service} ${c.status}`)).toEqual([
    "issuer 200",
    "issuer 200",
    "sts 200",
    "iamcredentials 200",
  ]);
});

test("a token the attribute condition refuses surfaces as the library's error", async () => {
  const tokenFile = join(dir, "other.jwt");
  writeFileSync(
    tokenFile,
    await sim.mintToken({ audience: AUDIENCE, claims: { ...GOOD, repository_id: "101" } }),
  );
  const client = ExternalAccountClient.fromJSON(adc(tokenFile));
  await expect(client?.getAccessToken()).rejects.toThrow(/rejected by the attribute condition/);
});
