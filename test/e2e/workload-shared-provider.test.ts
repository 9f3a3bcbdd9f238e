import { policyCheckout } from "../../cli/demo/policy-checkout.js";
import { rmSync } from "node:fs";
import { runTrust } from "../../cli/commands/trust.js";
import { adminTrustClients } from "../../cli/demo/workload-world.js";
import { diffTrust } from "../../core/trust/diff-trust.js";
import { gcpTrust } from "../../core/trust/gcp-trust.js";
import type { GitHubWorkload } from "../../core/types.js";
import { exchangeGcp, gcpAudience } from "../../providers/gcp-workload-credentials.js";
import { applyTrust, readTrust, type TrustClients } from "../../providers/trust-provider.js";
import {
  createIdentitySim,
  type GitHubJobClaims,
  type IdentitySim,
  type IdentitySimUrls,
} from "@jitops/sim/identity";
import { captureOutput } from "../fixtures/capture-output.js";

// How GCP judges these exchanges (and the embedded cloud with it):
// - STS maps the token's claims and evaluates the provider's attribute condition, a CEL expression over
//   `assertion`; a credential it does not hold true for is rejected ("The given credential is rejected by
//   the attribute condition", unauthorized_client). One provider holds one condition for all its workloads.
// - The admitted identity belongs to principalSet://iam.googleapis.com/projects/N/locations/global/
//   workloadIdentityPools/POOL/attribute.NAME/VALUE for each mapped attribute: "all identities in a workload
//   identity pool" with that value (IAM principal identifiers), whichever provider of the pool admitted it.
// - IAM Credentials mints a service account's token only for a member of its roles/iam.workloadIdentityUser.

const POOL = "projects/123/locations/global/workloadIdentityPools/github";
const PROVIDER = `${POOL}/providers/github`;
const DEPLOYER = "deployer@acme-prod.iam.gserviceaccount.com";
const PUBLISHER = "publisher@acme-prod.iam.gserviceaccount.com";
const STAGING_SA = "deployer@acme-staging.iam.gserviceaccount.com";

const workload = (w: Omit<GitHubWorkload, "maxLifetime" | "grants">, sa: string, provider = PROVIDER) =>
  ({
    ...w,
    maxLifetime: "15m",
    grants: [{ gcp: { serviceAccount: sa, workloadIdentityProvider: provider } }],
  }) satisfies GitHubWorkload;

/** Every constraint policy can name. */
const API = workload(
  {
    name: "api-deploy",
    repository: "acme/api",
    repositoryId: 123456,
    ownerId: 7890,
    ref: "refs/heads/main",
    environment: "production",
    workflow: ".github/workflows/deploy.yml",
  },
  DEPLOYER,
);
/** Another repository on the same provider, pinned to a branch only: its jobs carry no environment claim. */
const WEB = workload(
  {
    name: "web-publish",
    repository: "acme/web",
    repositoryId: 654321,
    ownerId: 7890,
    ref: "refs/heads/release",
  },
  PUBLISHER,
);

const API_JOB: GitHubJobClaims = {
  repository: "acme/api",
  repository_id: "123456",
  repository_owner: "acme",
  repository_owner_id: "7890",
  ref: "refs/heads/main",
  environment: "production",
};
const WEB_JOB: GitHubJobClaims = {
  repository: "acme/web",
  repository_id: "654321",
  repository_owner: "acme",
  repository_owner_id: "7890",
  ref: "refs/heads/release",
};

/** The embedded identity cloud with hand-made providers (admitting nobody yet) and service accounts. */
async function startCloud(providers: string[], serviceAccounts: string[]) {
  const sim = createIdentitySim();
  const urls = await sim.start();
  for (const p of providers)
    sim.createWorkloadIdentityProvider(p, {
      issuerUri: urls.issuer,
      attributeMapping: { "google.subject": "assertion.sub" },
      attributeCondition: "assertion.repository_owner_id == '0'",
    });
  for (const sa of serviceAccounts) sim.createServiceAccount(sa);
  return { sim, urls, trust: adminTrustClients(urls) };
}

/** A checkout whose policies/ declares these workloads, trusting the embedded issuer. */
function checkout(issuer: string, workloads: GitHubWorkload[]): string {
  return policyCheckout("jitops-shared-provider-", "workloads", {
    workloads: workloads.map((w) => ({ ...w, issuer })),
  });
}

const exchangeAt = (urls: IdentitySimUrls, provider: string, serviceAccount: string, token: string) =>
  exchangeGcp({
    provider,
    serviceAccount,
    lifetimeSeconds: 600,
    subjectToken: async () => token,
    endpoints: { sts: `${urls.sts}/v1/token`, iamCredentials: urls.iamCredentials },
  });

describe("two workloads on one GCP workload identity provider, end to end on the embedded cloud", () => {
  let sim: IdentitySim;
  let urls: IdentitySimUrls;
  let trust: TrustClients;
  let root: string;

  beforeAll(async () => {
    ({ sim, urls, trust } = await startCloud([PROVIDER], [DEPLOYER, PUBLISHER]));
    root = checkout(urls.issuer, [API, WEB]);
    const plan = () => runTrust({ apply: false, root, now: new Date() }, captureOutput(), {}, trust);
    expect(await plan()).toBe(1);
    expect(await runTrust({ apply: true, root }, captureOutput(), {}, trust)).toBe(0);
    expect(await plan()).toBe(0);
  });
  afterAll(async () => {
    await sim.stop();
    rmSync(root, { recursive: true, force: true });
  });

  const mint = (claims: GitHubJobClaims) => sim.mintToken({ claims, audience: gcpAudience(PROVIDER) });
  const exchange = async (claims: GitHubJobClaims, serviceAccount: string) =>
    exchangeAt(urls, PROVIDER, serviceAccount, await mint(claims));
  const federatedFor = (repositoryId: string) =>
    sim
      .gcpIssuedTokens()
      .filter((t) => t.kind === "federated" && t.attributes?.["attribute.repository_id"] === repositoryId);

  it("jitops apply wrote one condition for both workloads and, per service account, its own repository's principalSet", () => {
    const condition = sim.workloadIdentityProvider(PROVIDER)!.attributeCondition!;
    expect(condition).toContain("assertion.repository_id == '123456'");
    expect(condition).toContain("assertion.repository_id == '654321'");
    const members = (sa: string) => sim.serviceAccountPolicy(sa).bindings.flatMap((b) => b.members);
    expect(members(DEPLOYER)).toEqual([
      `principalSet://iam.googleapis.com/${POOL}/attribute.repository_id/123456`,
    ]);
    expect(members(PUBLISHER)).toEqual([
      `principalSet://iam.googleapis.com/${POOL}/attribute.repository_id/654321`,
    ]);
  });

  it.each([
    ["api-deploy's job", API_JOB, DEPLOYER],
    ["web-publish's job (no environment claim)", WEB_JOB, PUBLISHER],
  ])("invariant: %s gets credentials for its own service account", async (_name, claims, serviceAccount) => {
    await expect(exchange(claims, serviceAccount)).resolves.toMatchObject({
      accessToken: expect.any(String),
    });
    expect(sim.gcpIssuedTokens().at(-1)).toMatchObject({ kind: "service-account", serviceAccount });
  });

  // Each refused with the reason STS gives: a refusal for another reason (audience, signature) would hide a hole.
  it.each([
    [
      "another repository of the organization",
      { ...API_JOB, repository: "acme/other", repository_id: "111111" },
    ],
    ["api-deploy's repository on another branch", { ...API_JOB, ref: "refs/heads/dev" }],
    ["web-publish's repository on another branch", { ...WEB_JOB, ref: "refs/heads/main" }],
    [
      "api-deploy's repository on web-publish's branch",
      { ...API_JOB, ref: "refs/heads/release", environment: undefined },
    ],
  ])("invariant: STS refuses %s (the attribute condition)", async (_name, claims) => {
    const before = sim.gcpIssuedTokens().length;
    await expect(exchange(claims, DEPLOYER)).rejects.toThrow(/attribute condition/);
    await expect(exchange(claims, PUBLISHER)).rejects.toThrow(/attribute condition/);
    expect(sim.stsRejections().at(-1)).toMatchObject({ error: "unauthorized_client" });
    expect(sim.gcpIssuedTokens()).toHaveLength(before);
  });

  it.each([
    ["api-deploy's job", API_JOB, "123456", PUBLISHER],
    ["web-publish's job", WEB_JOB, "654321", DEPLOYER],
  ])(
    "invariant: %s, admitted by STS, may not impersonate the other workload's service account",
    async (_name, claims, repositoryId, other) => {
      const admitted = federatedFor(repositoryId).length;
      await expect(exchange(claims, other)).rejects.toThrow(/getAccessToken' denied/);
      // STS admitted it: the refusal is the service account's binding, not the condition.
      expect(federatedFor(repositoryId)).toHaveLength(admitted + 1);
    },
  );
});

describe("one repository's two workloads in one pool, through two providers", () => {
  const STAGING_PROVIDER = `${POOL}/providers/github-staging`;
  const PROD = { ...API, name: "deploy-prod" };
  const STAGING = workload(
    { ...API, name: "deploy-staging", environment: "staging" },
    STAGING_SA,
    STAGING_PROVIDER,
  );
  const STAGING_JOB = { ...API_JOB, environment: "staging" };
  let cloud: Awaited<ReturnType<typeof startCloud>>;
  let root: string;

  beforeAll(async () => {
    cloud = await startCloud([PROVIDER, STAGING_PROVIDER], [DEPLOYER, STAGING_SA]);
    root = checkout(cloud.urls.issuer, [PROD, STAGING]);
  });
  afterAll(async () => {
    await cloud.sim.stop();
    rmSync(root, { recursive: true, force: true });
  });

  it("invariant: jitops apply refuses the policy (workload.shared-provider) and writes nothing", async () => {
    const o = captureOutput();
    expect(await runTrust({ apply: true, root }, o, {}, cloud.trust)).toBe(1);
    expect([...o.stdout, ...o.stderr].join("\n")).toContain("workload.shared-provider");
    expect(cloud.sim.serviceAccountPolicy(DEPLOYER).bindings).toEqual([]);
    expect(cloud.sim.workloadIdentityProvider(STAGING_PROVIDER)!.attributeCondition).toBe(
      "assertion.repository_owner_id == '0'",
    );
  });

  it("what the refusal prevents: that trust, applied anyway, lets the staging job impersonate the production service account", async () => {
    const gcp = gcpTrust([PROD, STAGING].map((w) => ({ ...w, issuer: cloud.urls.issuer })));
    const { failed } = await applyTrust(
      cloud.trust,
      diffTrust(gcp, [], await readTrust(cloud.trust, gcp, [])),
    );
    expect(failed).toEqual([]);
    const stagingToken = await cloud.sim.mintToken({
      claims: STAGING_JOB,
      audience: gcpAudience(STAGING_PROVIDER),
    });
    await expect(exchangeAt(cloud.urls, STAGING_PROVIDER, DEPLOYER, stagingToken)).resolves.toMatchObject({
      accessToken: expect.any(String),
    });
  });
});
