import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { IdentityPoolClient } from "google-auth-library";
import { parseAllDocuments } from "yaml";
import { runTrust } from "../../cli/commands/trust.js";
import { runCli } from "../../cli/program.js";
import { GKE_POD, POD_APP, POD_PROJECT, startPodWorld, type PodWorld } from "../../cli/demo/pod-world.js";
import { exchangeAzure } from "../../providers/azure-workload-credentials.js";
import { exchangeGcp, gcpAudience } from "../../providers/gcp-workload-credentials.js";
import type { PodTokenOptions } from "@jitops/sim/identity";
import { captureOutput } from "../fixtures/capture-output.js";

const GKE_SA = "payments@acme-prod.iam.gserviceaccount.com";
const ONPREM_SA = "batch@acme-prod.iam.gserviceaccount.com";
const GKE_AUD = `${POD_PROJECT.project}.svc.id.goog`;
const AZURE_AUD = "api://AzureADTokenExchange";

describe("pod credentials end to end on the embedded cloud", () => {
  let world: PodWorld;
  const pod = (o: Partial<PodTokenOptions> & Pick<PodTokenOptions, "audience">) =>
    world.sim.mintPodToken({ cluster: "prod-gke", namespace: "payments", serviceAccount: "api", ...o });
  const onpremPod = (o: Partial<PodTokenOptions> = {}) =>
    world.sim.mintPodToken({
      cluster: "onprem",
      namespace: "batch",
      serviceAccount: "runner",
      audience: gcpAudience(world.onpremProvider),
      ...o,
    });
  const gke = async (token: string) => world.gkeMetadataToken(token, GKE_SA);
  const pool = (token: string) =>
    exchangeGcp({
      provider: world.onpremProvider,
      serviceAccount: ONPREM_SA,
      lifetimeSeconds: 3600,
      subjectToken: async () => token,
      endpoints: { sts: world.env.sts, iamCredentials: world.env.iamCredentials },
    });
  const azure = (token: string) =>
    exchangeAzure({
      tenantId: POD_APP.tenantId,
      clientId: POD_APP.clientId,
      authorityHost: world.env.authorityHost,
      agent: world.azureAgent,
      subjectToken: async () => token,
    });

  beforeAll(async () => {
    world = await startPodWorld(() => new Date());
    expect(
      await runTrust({ apply: false, root: world.root, now: new Date() }, captureOutput(), {}, world.trust),
    ).toBe(1);
    const applied = captureOutput();
    expect(await runTrust({ apply: true, root: world.root }, applied, {}, world.trust)).toBe(0);
    expect(
      await runTrust({ apply: false, root: world.root, now: new Date() }, captureOutput(), {}, world.trust),
    ).toBe(0);
  });
  afterAll(async () => world.close());

  it("jitops apply wrote the trust policy renders: GKE principal, a provider with the private issuer's keys, a federated credential", () => {
    expect(world.sim.serviceAccountPolicy(GKE_SA).bindings).toEqual([
      {
        role: "roles/iam.workloadIdentityUser",
        members: [
          "principal://iam.googleapis.com/projects/123/locations/global/workloadIdentityPools/acme-prod.svc.id.goog/subject/ns/payments/sa/api",
        ],
      },
    ]);
    expect(world.sim.serviceAccountPolicy(ONPREM_SA).bindings).toEqual([
      {
        role: "roles/iam.workloadIdentityUser",
        members: [
          "principal://iam.googleapis.com/projects/123/locations/global/workloadIdentityPools/kubernetes/subject/system:serviceaccount:batch:runner",
        ],
      },
    ]);
    const provider = world.sim.workloadIdentityProvider(world.onpremProvider)!;
    expect(provider.oidc.issuerUri).toBe(world.clusters[1]!.issuer);
    expect(JSON.parse(provider.oidc.jwksJson!)).toEqual(world.sim.clusterJwks("onprem"));
    expect(provider.attributeMapping["google.subject"]).toBe("assertion.sub");
    expect(provider.attributeCondition).toContain("assertion['kubernetes.io']['namespace'] == 'batch'");
    expect(world.sim.azureApp(POD_APP.objectId)!.federatedIdentityCredentials).toMatchObject([
      {
        name: `jitops-${GKE_POD.name}`,
        issuer: world.clusters[0]!.issuer,
        subject: "system:serviceaccount:payments:api",
        audiences: [AZURE_AUD],
      },
    ]);
  });

  it("a GKE pod's token gets a GCP access token for its service account (the metadata server's exchange)", async () => {
    await expect(gke(await pod({ audience: GKE_AUD }))).resolves.toMatchObject({
      accessToken: expect.any(String),
    });
    const issued = world.sim.gcpIssuedTokens().filter((t) => t.serviceAccount === GKE_SA);
    expect(issued.at(-1)?.obtainedBy).toContain("/subject/ns/payments/sa/api");
  });

  it("a pod on a private cluster gets a GCP access token through the provider holding its cluster's keys", async () => {
    await expect(pool(await onpremPod())).resolves.toMatchObject({ accessToken: expect.any(String) });
  });

  it("a GKE pod's token gets an Azure access token through the federated credential", async () => {
    await expect(azure(await pod({ audience: AZURE_AUD }))).resolves.toMatchObject({
      accessToken: expect.any(String),
    });
  });

  // Each case with the reason each cloud gives: a refusal for another reason would hide a hole.
  const refusals: [string, Partial<PodTokenOptions>, { gke: RegExp; entra: RegExp; pool: RegExp }][] = [
    [
      "a pod in another namespace",
      { namespace: "default" },
      { gke: /getAccessToken' denied/, entra: /AADSTS700213/, pool: /attribute condition/ },
    ],
    [
      "another service account",
      { serviceAccount: "worker" },
      { gke: /getAccessToken' denied/, entra: /AADSTS700213/, pool: /attribute condition/ },
    ],
    [
      "another cluster's issuer",
      { cluster: "other" },
      {
        gke: /does not match the expected ISS/,
        entra: /AADSTS700211/,
        pool: /does not match the expected ISS/,
      },
    ],
    [
      "a token forged with another cluster's key",
      { signWith: "other" },
      { gke: /signature/, entra: /AADSTS700027/, pool: /signature/ },
    ],
    [
      "an expired token",
      { issuedAt: new Date(Date.now() - 2 * 3600_000), lifetimeSec: 600 },
      { gke: /expired/, entra: /AADSTS700024/, pool: /expired/ },
    ],
  ];

  it.each(refusals)("invariant: GKE refuses %s", async (_what, over, why) => {
    await expect(gke(await pod({ audience: GKE_AUD, ...over }))).rejects.toThrow(why.gke);
  });

  it.each(refusals)("invariant: Entra refuses %s", async (_what, over, why) => {
    await expect(azure(await pod({ audience: AZURE_AUD, ...over }))).rejects.toThrow(why.entra);
  });

  it.each(refusals)("invariant: GCP's pool provider refuses %s", async (_what, over, why) => {
    await expect(pool(await onpremPod(over))).rejects.toThrow(why.pool);
  });

  it("invariant: every cloud refuses a token for the wrong audience", async () => {
    await expect(gke(await pod({ audience: AZURE_AUD }))).rejects.toThrow(/expected audience/);
    await expect(azure(await pod({ audience: GKE_AUD }))).rejects.toThrow(/AADSTS700212/);
    await expect(pool(await onpremPod({ audience: AZURE_AUD }))).rejects.toThrow(/expected audience/);
  });

  it("the refusals are the cloud's: STS names the check that failed", () => {
    const details = world.sim.stsRejections().map((r) => `${r.description} ${r.detail ?? ""}`);
    expect(details.some((d) => d.includes("rejected by the attribute condition"))).toBe(true);
    expect(details.some((d) => d.includes("expired"))).toBe(true);
    expect(details.some((d) => d.includes("signature"))).toBe(true);
  });
});

describe("jitops render serviceaccount: the cluster side from the same policy", () => {
  let world: PodWorld;
  beforeAll(async () => {
    world = await startPodWorld(() => new Date());
    await runTrust({ apply: true, root: world.root }, captureOutput(), {}, world.trust);
  });
  afterAll(async () => world.close());
  const render = async (...args: string[]) => {
    const o = captureOutput();
    const code = await runCli(["node", "jitops", "render", ...args, "-C", world.root], {
      env: {},
      output: o,
    });
    return { code, out: o.stdout.join("\n"), err: o.stderr.join("\n") };
  };

  it("prints the GKE pod's ServiceAccount with the GCP and Azure annotations, and the pod label", async () => {
    const { code, out } = await render("serviceaccount", "payments-api");
    expect(code).toBe(0);
    expect(out).toContain('# pod template labels: {"azure.workload.identity/use":"true"}');
    expect(parseAllDocuments(out).map((d) => d.toJS())).toEqual([
      {
        apiVersion: "v1",
        kind: "ServiceAccount",
        metadata: {
          name: "api",
          namespace: "payments",
          annotations: {
            "iam.gke.io/gcp-service-account": GKE_SA,
            "azure.workload.identity/client-id": POD_APP.clientId,
            "azure.workload.identity/tenant-id": POD_APP.tenantId,
          },
          labels: { "app.kubernetes.io/managed-by": "jitops", "jitops.dev/workload": "payments-api" },
        },
      },
    ]);
  });

  it("off GKE, the rendered credential configuration gets the pod a token through the provider apply created", async () => {
    const { code, out } = await render("serviceaccount", "batch-runner", "--json");
    expect(code).toBe(0);
    const doc = JSON.parse(out) as { manifests: { kind: string; data?: Record<string, string> }[] };
    expect(doc.manifests.map((m) => m.kind)).toEqual(["ServiceAccount", "ConfigMap"]);
    const config = JSON.parse(doc.manifests[1]!.data!["credential-configuration.json"]!) as Record<
      string,
      unknown
    > & { credential_source: { file: string } };
    expect(config.audience).toBe(`//iam.googleapis.com/${world.onpremProvider}`);
    // What kubelet and a client library do in the pod: the projected token in a file, read by the config.
    const dir = mkdtempSync(join(tmpdir(), "jitops-pod-"));
    const tokenFile = join(dir, "token");
    writeFileSync(
      tokenFile,
      await world.sim.mintPodToken({
        cluster: "onprem",
        namespace: "batch",
        serviceAccount: "runner",
        audience: gcpAudience(world.onpremProvider),
      }),
    );
    const client = new IdentityPoolClient({
      ...config,
      token_url: world.env.sts,
      service_account_impersonation_url: String(config.service_account_impersonation_url).replace(
        "https://iamcredentials.googleapis.com",
        world.env.iamCredentials,
      ),
      credential_source: { ...config.credential_source, file: tokenFile },
    } as never);
    await expect(client.getAccessToken()).resolves.toMatchObject({ token: expect.any(String) });
    rmSync(dir, { recursive: true, force: true });
  });

  it("refuses an unknown workload and an unknown kind with exit 2, naming what is accepted", async () => {
    const unknown = await render("serviceaccount", "nope");
    expect(unknown.code).toBe(2);
    expect(unknown.err).toContain(
      "workload nope is not in policy; pod workloads: payments-api, batch-runner",
    );
    const kind = await render("deployment", "payments-api");
    expect(kind.code).toBe(2);
    expect(kind.err).toContain("render deployment is not accepted; accepted: serviceaccount");
  });
});
