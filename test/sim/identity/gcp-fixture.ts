import type { GitHubJobClaims, IdentitySim } from "@jitops/sim/identity";

/** The provider jitops would configure for repository acme/app (id 100, owner id 200), env prod, deploy workflow. */
export const PROVIDER = "projects/123456/locations/global/workloadIdentityPools/jitops-pool/providers/github";
export const AUDIENCE = `//iam.googleapis.com/${PROVIDER}`;
export const SA = "deployer@acme-prod.iam.gserviceaccount.com";
export const POOL_SET =
  "principalSet://iam.googleapis.com/projects/123456/locations/global/workloadIdentityPools/jitops-pool";

export const GOOD: GitHubJobClaims = {
  repository: "acme/app",
  repository_id: "100",
  repository_owner_id: "200",
  environment: "prod",
  ref: "refs/heads/main",
};

export const CONDITION = [
  "assertion.repository_owner_id == '200'",
  "assertion.repository_id in ['100']",
  "assertion.ref == 'refs/heads/main'",
  "assertion.event_name != 'pull_request' && assertion.event_name != 'pull_request_target'",
  "(has(assertion.environment) && assertion.environment == 'prod')",
  "assertion.workflow_ref.startsWith('acme/app/.github/workflows/deploy.yml@')",
].join(" && ");

/** Seeds the provider and a service account bound to the repository's principalSet. */
export function seedGcp(sim: IdentitySim): void {
  sim.createWorkloadIdentityProvider(PROVIDER, {
    issuerUri: sim.urls.issuer,
    attributeMapping: {
      "google.subject": "assertion.sub",
      "attribute.repository_id": "assertion.repository_id",
      "attribute.repository_owner_id": "assertion.repository_owner_id",
    },
    attributeCondition: CONDITION,
  });
  sim.setServiceAccountPolicy(SA, [
    { role: "roles/iam.workloadIdentityUser", members: [`${POOL_SET}/attribute.repository_id/100`] },
  ]);
}

/** Posts an STS exchange as google-github-actions/auth (JSON) or google-auth-library (form) would. */
export async function exchange(
  sim: IdentitySim,
  subjectToken: string,
  opts: { form?: boolean; audience?: string } = {},
): Promise<{ status: number; body: Record<string, unknown> }> {
  const fields = {
    audience: opts.audience ?? AUDIENCE,
    grantType: "urn:ietf:params:oauth:grant-type:token-exchange",
    requestedTokenType: "urn:ietf:params:oauth:token-type:access_token",
    scope: "https://www.googleapis.com/auth/cloud-platform",
    subjectTokenType: "urn:ietf:params:oauth:token-type:jwt",
    subjectToken,
  };
  const snake = Object.fromEntries(
    Object.entries(fields).map(([k, v]) => [k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`), v]),
  );
  const res = await fetch(
    `${sim.urls.sts}/v1/token`,
    opts.form
      ? {
          method: "POST",
          headers: { "content-type": "application/x-www-form-urlencoded" },
          body: new URLSearchParams(snake).toString(),
        }
      : { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(fields) },
  );
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}
