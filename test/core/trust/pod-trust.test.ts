import { azureTrust } from "../../../core/trust/azure-trust.js";
import { describeTrustChange, diffTrust, type ActualTrust } from "../../../core/trust/diff-trust.js";
import { gcpTrust } from "../../../core/trust/gcp-trust.js";
import { AZURE_AUDIENCE } from "../../../core/trust/github-actions-issuer.js";
import { podRule } from "../../../core/trust/kubernetes-issuer.js";
import { checkClaims } from "../../../core/trust/trust-rule.js";
import type { Cluster, KubernetesWorkload } from "../../../core/types.js";

const GKE: Cluster = {
  name: "prod-gke",
  issuer: "https://container.googleapis.com/v1/projects/acme-prod/locations/europe-west1/clusters/prod",
  gcp: { project: "acme-prod", projectNumber: 123, gke: true },
  azure: true,
};
const ONPREM: Cluster = {
  name: "onprem",
  issuer: "https://k8s.onprem.acme.example",
  jwks: { keys: [{ kty: "RSA", n: "abc", e: "AQAB", kid: "k1" }] },
  gcp: {
    project: "acme-prod",
    projectNumber: 123,
    workloadIdentityPool: "projects/123/locations/global/workloadIdentityPools/kubernetes",
  },
};
const pod = (name: string, cluster: string, namespace: string, sa: string): KubernetesWorkload => ({
  name,
  kubernetes: { cluster, namespace, serviceAccount: sa },
  maxLifetime: "1h",
  grants: [
    { gcp: { serviceAccount: `${name}@acme-prod.iam.gserviceaccount.com` } },
    { azure: { tenantId: "t", clientId: "app" } },
  ],
});
const API = pod("api", "prod-gke", "payments", "api");
const BATCH = pod("batch", "onprem", "batch", "runner");
const PROVIDER = "projects/123/locations/global/workloadIdentityPools/kubernetes/providers/onprem";
const NONE: ActualTrust = { gcpProviders: [], gcpServiceAccounts: [], azureApps: [] };

describe("pod trust rendered from policy", () => {
  it("GKE: the Kubernetes service account's principal in PROJECT.svc.id.goog gets workloadIdentityUser", () => {
    expect(gcpTrust([API], [GKE])).toEqual({
      providers: [],
      serviceAccounts: [
        {
          serviceAccount: "api@acme-prod.iam.gserviceaccount.com",
          members: [
            "principal://iam.googleapis.com/projects/123/locations/global/workloadIdentityPools/acme-prod.svc.id.goog/subject/ns/payments/sa/api",
          ],
        },
      ],
    });
  });

  it("another cluster: a provider for its issuer (with its keys), google.subject=assertion.sub, the subject's principal", () => {
    expect(gcpTrust([BATCH], [ONPREM])).toEqual({
      providers: [
        {
          provider: PROVIDER,
          attributeMapping: {
            "google.subject": "assertion.sub",
            "attribute.namespace": "assertion['kubernetes.io']['namespace']",
            "attribute.service_account_name": "assertion['kubernetes.io']['serviceaccount']['name']",
          },
          attributeCondition:
            "(assertion.sub == 'system:serviceaccount:batch:runner' && assertion['kubernetes.io']['namespace'] == 'batch')",
          oidc: {
            issuerUri: "https://k8s.onprem.acme.example",
            jwksJson: '{"keys":[{"e":"AQAB","kid":"k1","kty":"RSA","n":"abc"}]}',
          },
        },
      ],
      serviceAccounts: [
        {
          serviceAccount: "batch@acme-prod.iam.gserviceaccount.com",
          members: [
            "principal://iam.googleapis.com/projects/123/locations/global/workloadIdentityPools/kubernetes/subject/system:serviceaccount:batch:runner",
          ],
        },
      ],
    });
  });

  it("Azure: issuer = the cluster's, subject system:serviceaccount:NS:SA, audience api://AzureADTokenExchange", () => {
    expect(azureTrust([API], [GKE])).toEqual([
      {
        tenantId: "t",
        clientId: "app",
        credentials: [
          {
            name: "jitops-api",
            issuer: GKE.issuer,
            subject: "system:serviceaccount:payments:api",
            audiences: [AZURE_AUDIENCE],
          },
        ],
      },
    ]);
  });

  it("a provider policy names but GCP lacks is created; a changed issuer or key is patched, one change each", () => {
    const want = gcpTrust([BATCH], [ONPREM]);
    const create = diffTrust(want, [], NONE);
    expect(create.map((c) => c.kind)).toEqual(["gcp-provider-create", "gcp-member-add"]);
    expect(describeTrustChange(create[0]!)).toContain(
      "create for issuer https://k8s.onprem.acme.example with its keys",
    );
    const p = want.providers[0]!;
    const held = (oidc: { issuerUri: string; jwksJson?: string }): ActualTrust => ({
      ...NONE,
      gcpProviders: [
        {
          provider: PROVIDER,
          attributeMapping: p.attributeMapping,
          attributeCondition: p.attributeCondition,
          oidc,
        },
      ],
      gcpServiceAccounts: want.serviceAccounts,
    });
    // The same keys written in another order are the same keys.
    expect(
      diffTrust(
        want,
        [],
        held({
          issuerUri: ONPREM.issuer,
          jwksJson: '{"keys":[{"kid":"k1","kty":"RSA","e":"AQAB","n":"abc"}]}',
        }),
      ),
    ).toEqual([]);
    const rotated = diffTrust(
      want,
      [],
      held({ issuerUri: ONPREM.issuer, jwksJson: '{"keys":[{"kid":"k0"}]}' }),
    );
    expect(rotated).toMatchObject([{ kind: "gcp-provider", provider: PROVIDER, oidc: p.oidc }]);
    expect(
      diffTrust(want, [], held({ issuerUri: "https://old.example", jwksJson: p.oidc!.jwksJson! })),
    ).toHaveLength(1);
  });

  it("invariant: drift removes only the members and credentials jitops makes", () => {
    const want = gcpTrust([API], [GKE]);
    const sa = "api@acme-prod.iam.gserviceaccount.com";
    const stale =
      "principal://iam.googleapis.com/projects/123/locations/global/workloadIdentityPools/acme-prod.svc.id.goog/subject/ns/payments/sa/old";
    const handMade = [
      "serviceAccount:acme-prod.svc.id.goog[payments/legacy]",
      "principalSet://iam.googleapis.com/projects/123/locations/global/workloadIdentityPools/acme-prod.svc.id.goog/namespace/payments",
      "user:ops@acme.example",
    ];
    const changes = diffTrust(want, [], {
      ...NONE,
      gcpServiceAccounts: [
        { serviceAccount: sa, members: [...want.serviceAccounts[0]!.members, stale, ...handMade] },
      ],
      azureApps: [
        {
          tenantId: "t",
          clientId: "app",
          credentials: [
            {
              name: "jitops-gone",
              issuer: GKE.issuer,
              subject: "system:serviceaccount:payments:gone",
              audiences: [AZURE_AUDIENCE],
              id: "1",
            },
            {
              name: "hand-made",
              issuer: GKE.issuer,
              subject: "system:serviceaccount:ops:tool",
              audiences: [AZURE_AUDIENCE],
              id: "2",
            },
          ],
        },
      ],
    });
    expect(changes).toEqual([
      { kind: "gcp-member-remove", serviceAccount: sa, member: stale },
      expect.objectContaining({
        kind: "azure-credential-remove",
        credential: expect.objectContaining({ name: "jitops-gone" }),
      }),
    ]);
  });

  it("invariant: a pod's rule admits only its own namespace and service account", () => {
    const rule = podRule(API, GKE);
    const now = new Date("2026-11-24T10:00:00Z");
    const claims = {
      iss: GKE.issuer,
      aud: [AZURE_AUDIENCE],
      exp: now.getTime() / 1000 + 600,
      sub: "system:serviceaccount:payments:api",
    };
    expect(checkClaims(rule, claims, AZURE_AUDIENCE, now)).toEqual({ ok: true });
    for (const sub of [
      "system:serviceaccount:default:api",
      "system:serviceaccount:payments:worker",
      "system:serviceaccount:payments:api2",
    ])
      expect(checkClaims(rule, { ...claims, sub }, AZURE_AUDIENCE, now)).toMatchObject({
        ok: false,
        claim: "sub",
      });
    expect(checkClaims(rule, { ...claims, iss: ONPREM.issuer }, AZURE_AUDIENCE, now)).toMatchObject({
      ok: false,
      claim: "iss",
    });
  });
});

describe("private issuers' keys from jwksUri", () => {
  it("are fetched by the trust provider and compared like inline keys", async () => {
    const { resolveClusterKeys } = await import("../../../providers/trust-provider.js");
    const byUri: Cluster = {
      ...ONPREM,
      jwks: undefined,
      jwksUri: "https://k8s.onprem.acme.example/openid/v1/jwks",
    };
    const want = gcpTrust([BATCH], [byUri]);
    expect(want.providers[0]!.oidc).toEqual({ issuerUri: ONPREM.issuer, jwksUri: byUri.jwksUri });
    const fetched: string[] = [];
    const resolved = await resolveClusterKeys(want, async (url) => {
      fetched.push(url);
      return { keys: [{ kid: "k1", kty: "RSA", n: "abc", e: "AQAB" }] };
    });
    expect(fetched).toEqual([byUri.jwksUri]);
    expect(resolved.providers[0]!.oidc).toEqual(gcpTrust([BATCH], [ONPREM]).providers[0]!.oidc);
    await expect(resolveClusterKeys(want, async () => ({ nope: true }))).rejects.toThrow(
      "https://k8s.onprem.acme.example/openid/v1/jwks is not a JWKS: it has no keys list",
    );
  });
});
