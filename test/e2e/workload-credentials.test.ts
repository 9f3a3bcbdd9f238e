import { existsSync, readFileSync } from "node:fs";
import { cleanup, WRITTEN_FILES } from "../../action/cleanup.js";
import { runCredentialsMode } from "../../action/credentials-mode.js";
import { runTrust } from "../../cli/commands/trust.js";
import {
  DEMO_WORKLOAD,
  jobClaims,
  startWorkloadWorld,
  type WorkloadWorld,
} from "../../cli/demo/workload-world.js";
import { exchangeAzure } from "../../providers/azure-workload-credentials.js";
import { exchangeGcp, gcpAudience } from "../../providers/gcp-workload-credentials.js";
import { captureOutput } from "../fixtures/capture-output.js";

const gcp = DEMO_WORKLOAD.grants[0]! as { gcp: { serviceAccount: string; workloadIdentityProvider: string } };
const azure = DEMO_WORKLOAD.grants[1]! as { azure: { tenantId: string; clientId: string } };

describe("workload credentials end to end on the embedded cloud", () => {
  let world: WorkloadWorld;

  beforeAll(async () => {
    world = await startWorkloadWorld(() => new Date());
    const o = captureOutput();
    expect(await runTrust({ apply: false, root: world.root, now: new Date() }, o, {}, world.trust)).toBe(1); // drift before apply
    expect(await runTrust({ apply: true, root: world.root }, o, {}, world.trust)).toBe(0);
    expect(
      await runTrust({ apply: false, root: world.root, now: new Date() }, captureOutput(), {}, world.trust),
    ).toBe(0);
  });
  afterAll(async () => world.close());

  it("invariant: secrets are masked, logs never contain tokens, and the post step removes the credentials file (GCP: two cloud calls)", async () => {
    world.sim.setJob({ claims: jobClaims() });
    const run = world.io({ mode: "credentials", workload: "api-deploy", provider: "gcp" });
    world.sim.resetCalls();
    await runCredentialsMode(run.io, world.root, world.env, () => new Date());
    expect(run.failed).toBeUndefined();
    expect(world.sim.calls("sts") + world.sim.calls("iamcredentials")).toBe(2);
    const file = run.outputs.credentials_file_path!;
    expect(JSON.parse(readFileSync(file, "utf8"))).toMatchObject({
      type: "external_account",
      token_url: world.env.JITOPS_GCP_STS_URL,
    });
    expect(run.outputs["env:GOOGLE_APPLICATION_CREDENTIALS"]).toBe(file);
    expect(run.secrets).toContain(run.outputs.access_token);
    // Logs never contain a token: not the OIDC token, not the access token.
    for (const secret of run.secrets) for (const line of run.logs) expect(line).not.toContain(secret);
    expect(run.logs.some((l) => l.startsWith("jitops audit") && l.includes('"outcome":"issued"'))).toBe(true);
    expect(JSON.parse(run.state[WRITTEN_FILES]!)).toEqual([file]);
    await cleanup(run.io);
    expect(existsSync(file)).toBe(false);
  });

  it("issues an Azure token through a federated credential with one token call", async () => {
    world.sim.setJob({ claims: jobClaims(), subjectForm: "immutable" });
    const run = world.io({ mode: "credentials", workload: "api-deploy", provider: "azure" });
    world.sim.resetCalls();
    await runCredentialsMode(run.io, world.root, world.env, () => new Date(), world.azureAgent);
    expect(run.failed).toBeUndefined();
    expect(run.outputs.access_token).toBeTruthy();
    expect(
      world.sim.callLog().filter((c: { path: string }) => c.path.endsWith("/oauth2/v2.0/token")),
    ).toHaveLength(1);
  });

  it("fails early in the action, naming the claim, for a job policy does not allow", async () => {
    world.sim.setJob({
      claims: jobClaims({
        ref: "refs/heads/dev",
        workflow_ref: "acme/api/.github/workflows/deploy.yml@refs/heads/dev",
      }),
    });
    const run = world.io({ mode: "credentials", workload: "api-deploy", provider: "gcp" });
    world.sim.resetCalls();
    await expect(runCredentialsMode(run.io, world.root, world.env, () => new Date())).rejects.toThrow(
      /claim ref does not match/,
    );
    expect(world.sim.calls("sts")).toBe(0);
    expect(run.logs.some((l) => l.includes('"outcome":"refused"'))).toBe(true);
  });

  // The cloud is the boundary: tokens the action would refuse are refused by the cloud too.
  const mint = (
    claims: Record<string, string>,
    audience = gcpAudience(gcp.gcp.workloadIdentityProvider),
    lifetimeSec?: number,
    issuedAt?: Date,
  ) =>
    world.sim.mintToken({
      claims,
      audience,
      ...(lifetimeSec ? { lifetimeSec } : {}),
      ...(issuedAt ? { issuedAt } : {}),
    });
  const gcpExchange = (token: string) =>
    exchangeGcp({
      provider: gcp.gcp.workloadIdentityProvider,
      serviceAccount: gcp.gcp.serviceAccount,
      lifetimeSeconds: 600,
      subjectToken: async () => token,
      endpoints: {
        sts: world.env.JITOPS_GCP_STS_URL!,
        iamCredentials: world.env.JITOPS_GCP_IAMCREDENTIALS_URL!,
      },
    });

  it.each([
    ["wrong repository id (same name, re-created)", { repository_id: "999999" }],
    ["wrong owner id", { repository_owner_id: "1" }],
    [
      "other branch",
      { ref: "refs/heads/dev", workflow_ref: "acme/api/.github/workflows/deploy.yml@refs/heads/dev" },
    ],
    ["other environment", { environment: "staging" }],
    ["other workflow", { workflow_ref: "acme/api/.github/workflows/other.yml@refs/heads/main" }],
    [
      "a fork's pull request",
      {
        event_name: "pull_request",
        ref: "refs/pull/7/merge",
        workflow_ref: "acme/api/.github/workflows/deploy.yml@refs/pull/7/merge",
      },
    ],
  ])("the GCP cloud refuses %s", async (_name, over) => {
    await expect(gcpExchange(await mint(jobClaims(over)))).rejects.toThrow();
  });

  it("the GCP cloud refuses a wrong audience and an expired token", async () => {
    await expect(gcpExchange(await mint(jobClaims(), "api://AzureADTokenExchange"))).rejects.toThrow();
    await expect(
      gcpExchange(await mint(jobClaims(), undefined, 60, new Date(Date.now() - 3600_000))),
    ).rejects.toThrow();
    await expect(gcpExchange(await mint(jobClaims()))).resolves.toMatchObject({
      accessToken: expect.any(String),
    });
  });

  it("the Azure cloud refuses a token whose subject does not match exactly", async () => {
    const azureExchange = (claims: Record<string, string>) =>
      exchangeAzure({
        tenantId: azure.azure.tenantId,
        clientId: azure.azure.clientId,
        authorityHost: world.env.JITOPS_AZURE_AUTHORITY_HOST!,
        agent: world.azureAgent,
        subjectToken: (aud) => world.sim.mintToken({ claims, audience: aud, subjectForm: "immutable" }),
      });
    await expect(azureExchange(jobClaims({ environment: "staging" }))).rejects.toThrow();
    await expect(azureExchange(jobClaims({ repository_id: "999999" }))).rejects.toThrow();
    await expect(azureExchange(jobClaims())).resolves.toMatchObject({ accessToken: expect.any(String) });
  });
});
