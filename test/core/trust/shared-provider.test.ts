import { stringify } from "yaml";
import { loadPolicy } from "../../../core/load-policy.js";
import { gcpTrust, type GcpTrust } from "../../../core/trust/gcp-trust.js";
import type { Cluster, GitHubWorkload, KubernetesWorkload, Workload } from "../../../core/types.js";
// Test code only: the simulator's CEL interpreter and principal model judge what the product renders.
import { evalCel } from "../../../sim/identity/gcp/cel-eval.js";
import { parseCel } from "../../../sim/identity/gcp/cel-parse.js";
import { federatedPrincipals } from "../../../sim/identity/gcp/gcp-tokens.js";

const POOL = "projects/123/locations/global/workloadIdentityPools/github";
const PROVIDER = `${POOL}/providers/github`;

/**
 * What GCP does with a token presented at `provider` under `trust`, evaluated rather than compared
 * as text: STS maps the attributes and evaluates the condition (a CEL error rejects, as false
 * does); an admitted identity then stands for its subject's principal and, for every mapped
 * attribute, a principalSet of the provider's POOL. It may impersonate each service account
 * whose workloadIdentityUser members name one of those. Undefined: STS refuses the token.
 */
function serviceAccountsReached(trust: GcpTrust, provider: string, claims: object): string[] | undefined {
  const p = trust.providers.find((x) => x.provider === provider);
  if (!p) throw new Error(`no provider ${provider} rendered`);
  const attributes: Record<string, string> = {};
  for (const [key, expr] of Object.entries(p.attributeMapping)) {
    const v = evalCel(parseCel(expr), { assertion: claims });
    if (typeof v !== "string") return undefined;
    attributes[key] = v;
  }
  const env = {
    assertion: claims,
    attribute: Object.fromEntries(
      Object.entries(attributes)
        .filter(([k]) => k.startsWith("attribute."))
        .map(([k, v]) => [k.slice("attribute.".length), v]),
    ),
    google: { subject: attributes["google.subject"] },
  };
  let admitted: unknown;
  try {
    admitted = evalCel(parseCel(p.attributeCondition), env);
  } catch {
    return undefined;
  }
  if (admitted !== true) return undefined;
  const { principal, principalSets } = federatedPrincipals(provider, attributes);
  const mine = new Set([principal, ...principalSets]);
  return trust.serviceAccounts
    .filter((sa) => sa.members.some((m) => mine.has(m)))
    .map((sa) => sa.serviceAccount)
    .sort();
}

const github = (w: Omit<GitHubWorkload, "maxLifetime" | "grants">, sa: string, provider = PROVIDER) =>
  ({
    ...w,
    maxLifetime: "15m",
    grants: [{ gcp: { serviceAccount: sa, workloadIdentityProvider: provider } }],
  }) satisfies GitHubWorkload;

const DEPLOYER = "deployer@acme-prod.iam.gserviceaccount.com";
const PUBLISHER = "publisher@acme-prod.iam.gserviceaccount.com";
/** Every constraint policy can name: repository and owner ids, ref, environment, workflow file. */
const API = github(
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
/** Another repository on the same provider: a ref and nothing else, so its jobs carry no environment. */
const WEB = github(
  {
    name: "web-publish",
    repository: "acme/web",
    repositoryId: 654321,
    ownerId: 7890,
    ref: "refs/heads/release",
  },
  PUBLISHER,
);

/** The claims GitHub puts in a job's token; `environment` only when the job names one. */
function job(repo: string, repositoryId: string, ref: string, over: Record<string, string> = {}) {
  return {
    sub: `repo:${repo}:ref:${ref}`,
    repository: repo,
    repository_id: repositoryId,
    repository_owner: repo.split("/")[0],
    repository_owner_id: "7890",
    ref,
    event_name: "push",
    workflow_ref: `${repo}/.github/workflows/deploy.yml@${ref}`,
    ...over,
  };
}
const API_JOB = job("acme/api", "123456", "refs/heads/main", { environment: "production" });
const WEB_JOB = job("acme/web", "654321", "refs/heads/release");

describe("two GitHub workloads sharing one GCP provider", () => {
  const trust = gcpTrust([API, WEB]);

  it("render one provider whose condition holds a clause per workload, and one binding per service account", () => {
    expect(trust.providers.map((p) => p.provider)).toEqual([PROVIDER]);
    expect(trust.providers[0]!.attributeCondition.split(" || ")).toHaveLength(2);
    expect(trust.serviceAccounts).toEqual([
      {
        serviceAccount: DEPLOYER,
        members: [`principalSet://iam.googleapis.com/${POOL}/attribute.repository_id/123456`],
      },
      {
        serviceAccount: PUBLISHER,
        members: [`principalSet://iam.googleapis.com/${POOL}/attribute.repository_id/654321`],
      },
    ]);
  });

  // invariant: the shared condition admits each declared identity, and each reaches only its own service account.
  it.each([
    ["api-deploy's job", API_JOB, [DEPLOYER]],
    // web-publish's token has no environment claim: api-deploy's clause is a CEL error on it, which || absorbs.
    ["web-publish's job (no environment claim)", WEB_JOB, [PUBLISHER]],
  ])("invariant: admits %s, which reaches only its own service account", (_name, claims, reached) => {
    expect(serviceAccountsReached(trust, PROVIDER, claims)).toEqual(reached);
  });

  // invariant: nothing else gets through, including one workload's repository with the other's constraints.
  it.each([
    [
      "another repository of the organization",
      job("acme/other", "111111", "refs/heads/main", { environment: "production" }),
    ],
    ["a re-created acme/api (new id)", { ...API_JOB, repository_id: "999999" }],
    ["acme/api under another owner id", { ...API_JOB, repository_owner_id: "1" }],
    [
      "api-deploy's repository on another branch",
      job("acme/api", "123456", "refs/heads/dev", { environment: "production" }),
    ],
    ["api-deploy's repository in another environment", { ...API_JOB, environment: "staging" }],
    ["api-deploy's repository without an environment", job("acme/api", "123456", "refs/heads/main")],
    [
      "api-deploy's repository, another workflow",
      { ...API_JOB, workflow_ref: "acme/api/.github/workflows/x.yml@refs/heads/main" },
    ],
    ["api-deploy's repository with web-publish's ref", job("acme/api", "123456", "refs/heads/release")],
    ["web-publish's repository on another branch", job("acme/web", "654321", "refs/heads/main")],
    [
      "web-publish's repository with api-deploy's ref, environment and workflow",
      job("acme/web", "654321", "refs/heads/main", { environment: "production" }),
    ],
    ["a fork's pull request", job("acme/api", "123456", "refs/pull/7/merge", { event_name: "pull_request" })],
  ])("invariant: refuses %s", (_name, claims) => {
    expect(serviceAccountsReached(trust, PROVIDER, claims)).toBeUndefined();
  });

  it("the same, whichever order policy lists the workloads in", () => {
    const reversed = gcpTrust([WEB, API]);
    expect(serviceAccountsReached(reversed, PROVIDER, API_JOB)).toEqual([DEPLOYER]);
    expect(serviceAccountsReached(reversed, PROVIDER, WEB_JOB)).toEqual([PUBLISHER]);
    expect(
      serviceAccountsReached(reversed, PROVIDER, job("acme/web", "654321", "refs/heads/main")),
    ).toBeUndefined();
  });
});

describe("two pods sharing their cluster's GCP provider", () => {
  const ONPREM: Cluster = {
    name: "onprem",
    issuer: "https://k8s.onprem.acme.example",
    gcp: {
      project: "acme-prod",
      projectNumber: 123,
      workloadIdentityPool: "projects/123/locations/global/workloadIdentityPools/kubernetes",
    },
  };
  const CLUSTER_PROVIDER = "projects/123/locations/global/workloadIdentityPools/kubernetes/providers/onprem";
  const pod = (name: string, namespace: string, serviceAccount: string): KubernetesWorkload => ({
    name,
    kubernetes: { cluster: "onprem", namespace, serviceAccount },
    maxLifetime: "1h",
    grants: [{ gcp: { serviceAccount: `${name}@acme-prod.iam.gserviceaccount.com` } }],
  });
  /** The projected service-account token's claims. */
  const token = (namespace: string, serviceAccount: string) => ({
    sub: `system:serviceaccount:${namespace}:${serviceAccount}`,
    "kubernetes.io": { namespace, serviceaccount: { name: serviceAccount } },
  });
  const trust = gcpTrust([pod("batch", "batch", "runner"), pod("reports", "reports", "exporter")], [ONPREM]);

  it.each([
    ["batch/runner", token("batch", "runner"), ["batch@acme-prod.iam.gserviceaccount.com"]],
    ["reports/exporter", token("reports", "exporter"), ["reports@acme-prod.iam.gserviceaccount.com"]],
  ])("invariant: admits %s, which reaches only its own service account", (_name, claims, reached) => {
    expect(trust.providers.map((p) => p.provider)).toEqual([CLUSTER_PROVIDER]);
    expect(serviceAccountsReached(trust, CLUSTER_PROVIDER, claims)).toEqual(reached);
  });

  it.each([
    ["one pod's namespace with the other's service account", token("batch", "exporter")],
    ["the other way round", token("reports", "runner")],
    ["another namespace", token("default", "runner")],
    [
      "a subject that disagrees with its namespace claim",
      {
        ...token("batch", "runner"),
        "kubernetes.io": { namespace: "reports", serviceaccount: { name: "runner" } },
      },
    ],
  ])("invariant: refuses %s", (_name, claims) => {
    expect(serviceAccountsReached(trust, CLUSTER_PROVIDER, claims)).toBeUndefined();
  });
});

describe("one repository, different constraints, providers of one pool", () => {
  // GCP's principalSet://…/workloadIdentityPools/POOL/attribute.repository_id/ID spans every provider of
  // the pool, so a second provider in the same pool does not keep the two service accounts apart.
  const PROD = github({ ...API, name: "deploy-prod" }, DEPLOYER);
  const STAGING = github(
    { ...API, name: "deploy-staging", environment: "staging" },
    "deployer@acme-staging.iam.gserviceaccount.com",
    `${POOL}/providers/github-staging`,
  );
  const STAGING_JOB = { ...API_JOB, environment: "staging" };

  it("rendered anyway, the staging job would reach the production service account: the reason validation refuses it", () => {
    const trust = gcpTrust([PROD, STAGING]);
    expect(serviceAccountsReached(trust, `${POOL}/providers/github-staging`, STAGING_JOB)).toContain(
      DEPLOYER,
    );
  });

  const policy = (workloads: Workload[]) =>
    loadPolicy([
      {
        path: "policies/w.yaml",
        content: stringify({
          apiVersion: "jitops.dev/v1",
          kind: "Policy",
          metadata: { name: "w" },
          spec: { workloads },
        }),
      },
    ]);

  it("invariant: validation refuses two workloads of one repository with different constraints in one pool, whatever the providers", () => {
    const r = policy([PROD, STAGING]);
    expect(r.policy).toBeUndefined();
    expect(r.results[0]!.errors).toEqual([
      expect.objectContaining({
        code: "workload.shared-provider",
        message: expect.stringContaining(`through the same workload identity pool (${POOL})`),
      }),
    ]);
  });

  it("accepts them in different pools, where each job reaches only its own service account", () => {
    const other = "projects/123/locations/global/workloadIdentityPools/github-staging/providers/github";
    const staging = github({ ...STAGING }, "deployer@acme-staging.iam.gserviceaccount.com", other);
    const r = policy([PROD, staging]);
    expect(r.results[0]!.errors).toEqual([]);
    const trust = gcpTrust([PROD, staging]);
    expect(serviceAccountsReached(trust, other, STAGING_JOB)).toEqual([
      "deployer@acme-staging.iam.gserviceaccount.com",
    ]);
    expect(serviceAccountsReached(trust, PROVIDER, API_JOB)).toEqual([DEPLOYER]);
    expect(serviceAccountsReached(trust, other, API_JOB)).toBeUndefined();
  });
});
