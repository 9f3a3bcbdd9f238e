import { azureTrust } from "../../../core/trust/azure-trust.js";
import { gcpTrust } from "../../../core/trust/gcp-trust.js";
import {
  AZURE_AUDIENCE,
  githubActionsRule,
  githubSubject,
} from "../../../core/trust/github-actions-issuer.js";
import { checkClaims } from "../../../core/trust/trust-rule.js";
import type { Workload } from "../../../core/types.js";

const NOW = new Date("2026-11-24T10:00:00Z");
const AUD =
  "https://iam.googleapis.com/projects/123/locations/global/workloadIdentityPools/github/providers/github";

const workload: Workload = {
  name: "api-deploy",
  repository: "acme/api",
  repositoryId: 123456,
  ownerId: 7890,
  ref: "refs/heads/main",
  environment: "production",
  workflow: ".github/workflows/deploy.yml",
  maxLifetime: "15m",
  grants: [
    {
      gcp: {
        serviceAccount: "deployer@acme-prod.iam.gserviceaccount.com",
        workloadIdentityProvider:
          "projects/123/locations/global/workloadIdentityPools/github/providers/github",
      },
    },
    { azure: { tenantId: "t", clientId: "c" } },
  ],
};

const claims = {
  iss: "https://token.actions.githubusercontent.com",
  aud: AUD,
  exp: NOW.getTime() / 1000 + 300,
  nbf: NOW.getTime() / 1000 - 5,
  repository: "acme/api",
  repository_id: "123456",
  repository_owner_id: "7890",
  ref: "refs/heads/main",
  environment: "production",
  workflow_ref: "acme/api/.github/workflows/deploy.yml@refs/heads/main",
  event_name: "push",
};

describe("workload trust", () => {
  const rule = githubActionsRule(workload);

  it("accepts the claims policy allows", () => {
    expect(checkClaims(rule, claims, AUD, NOW)).toEqual({ ok: true });
  });

  // Security invariant: trust matches repository_id/repository_owner_id, never the name alone.
  it.each([
    ["repository_id", { repository_id: "999999" }],
    ["repository_owner_id", { repository_owner_id: "1" }],
    ["ref", { ref: "refs/heads/dev" }],
    ["ref", { ref: "refs/pull/7/merge", event_name: "pull_request" }],
    ["environment", { environment: "staging" }],
    ["environment", { environment: undefined }],
    ["workflow_ref", { workflow_ref: "acme/api/.github/workflows/other.yml@refs/heads/main" }],
    ["iss", { iss: "https://token.actions.example.com" }],
    ["aud", { aud: "api://AzureADTokenExchange" }],
    ["exp", { exp: NOW.getTime() / 1000 }],
  ])("invariant: names the claim %s that did not match", (claim, over) => {
    const r = checkClaims(rule, { ...claims, ...over }, AUD, NOW);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.claim).toBe(claim);
      expect(r.message).toContain(`claim ${claim}`);
      expect(r.message).toContain("api-deploy");
    }
  });

  it("invariant: a renamed repository with the same name but a new id is refused", () => {
    const r = checkClaims(rule, { ...claims, repository_id: "777" }, AUD, NOW);
    expect(r).toMatchObject({ ok: false, claim: "repository_id", expected: '"123456"', actual: "777" });
  });

  it("renders the GCP provider condition and the principalSet keyed on repository_id", () => {
    expect(gcpTrust([workload])).toEqual({
      providers: [
        {
          provider: "projects/123/locations/global/workloadIdentityPools/github/providers/github",
          attributeMapping: {
            "google.subject": "assertion.sub",
            "attribute.repository_id": "assertion.repository_id",
            "attribute.repository_owner_id": "assertion.repository_owner_id",
          },
          attributeCondition:
            "(assertion.repository_id == '123456' && assertion.repository_owner_id == '7890' && assertion.ref == 'refs/heads/main' && assertion.environment == 'production' && assertion.workflow_ref.startsWith('acme/api/.github/workflows/deploy.yml@'))",
        },
      ],
      serviceAccounts: [
        {
          serviceAccount: "deployer@acme-prod.iam.gserviceaccount.com",
          members: [
            "principalSet://iam.googleapis.com/projects/123/locations/global/workloadIdentityPools/github/attribute.repository_id/123456",
          ],
        },
      ],
    });
  });

  it("renders Azure federated credentials with the exact subject and one audience", () => {
    expect(azureTrust([workload])).toEqual([
      {
        tenantId: "t",
        clientId: "c",
        credentials: [
          {
            name: "jitops-api-deploy",
            issuer: "https://token.actions.githubusercontent.com",
            subject: "repo:acme@7890/api@123456:environment:production",
            audiences: [AZURE_AUDIENCE],
          },
        ],
      },
    ]);
  });

  it("builds subjects in both forms and escapes colons", () => {
    const w = { ...workload, environment: "prod:eu" };
    expect(githubSubject(w)).toBe("repo:acme@7890/api@123456:environment:prod%3Aeu");
    expect(githubSubject({ ...workload, environment: undefined }, "name")).toBe(
      "repo:acme/api:ref:refs/heads/main",
    );
  });
});

describe("the trust model is issuer-neutral", () => {
  it("checks a Kubernetes service account token from a cluster issuer with the same rule engine", async () => {
    const { kubernetesServiceAccountRule } = await import("../../../core/trust/kubernetes-issuer.js");
    const issuer =
      "https://container.googleapis.com/v1/projects/acme-prod/locations/europe-west1/clusters/prod";
    const rule = kubernetesServiceAccountRule("payments-worker", issuer, "payments", "worker");
    const token = {
      iss: issuer,
      aud: "sts.googleapis.com",
      exp: NOW.getTime() / 1000 + 600,
      sub: "system:serviceaccount:payments:worker",
    };
    expect(checkClaims(rule, token, "sts.googleapis.com", NOW)).toEqual({ ok: true });
    expect(
      checkClaims(rule, { ...token, sub: "system:serviceaccount:payments:other" }, "sts.googleapis.com", NOW),
    ).toMatchObject({ ok: false, claim: "sub" });
    expect(
      checkClaims(rule, { ...token, iss: "https://other.example" }, "sts.googleapis.com", NOW),
    ).toMatchObject({ ok: false, claim: "iss" });
  });
});
