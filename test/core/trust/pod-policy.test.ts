import { loadPolicy } from "../../../core/load-policy.js";

const HEAD = "apiVersion: jitops.dev/v1\nkind: Policy\nmetadata:\n  name: pods\nspec:\n";
const CLUSTERS = [
  "  clusters:",
  "    - name: prod-gke",
  "      issuer: https://container.googleapis.com/v1/projects/acme-prod/locations/europe-west1/clusters/prod",
  "      gcp: {project: acme-prod, projectNumber: 123, gke: true}",
  "      azure: true",
  "    - name: onprem",
  "      issuer: https://k8s.onprem.acme.example",
  "      jwksUri: https://k8s.onprem.acme.example/openid/v1/jwks",
  "      gcp: {project: acme-prod, projectNumber: 123, workloadIdentityPool: projects/123/locations/global/workloadIdentityPools/kubernetes}",
].join("\n");
const POD = [
  "  workloads:",
  "    - name: payments-api",
  "      kubernetes: {cluster: prod-gke, namespace: payments, serviceAccount: api}",
  "      maxLifetime: 1h",
  "      grants:",
  "        - gcp: {serviceAccount: payments@acme-prod.iam.gserviceaccount.com}",
  "        - azure: {tenantId: t, clientId: app}",
].join("\n");
const load = (...contents: string[]) =>
  loadPolicy(contents.map((content, i) => ({ path: `policies/p${i}.yaml`, content })));
const errors = (...contents: string[]) => load(...contents).results.flatMap((r) => r.errors);

describe("pods in policy: clusters and kubernetes workloads", () => {
  it("accepts a pod workload on a declared cluster, across files", () => {
    const r = load(`${HEAD}${CLUSTERS}\n`, `${HEAD}${POD}\n`);
    expect(r.results.flatMap((x) => x.errors)).toEqual([]);
    expect(r.policy?.source.clusters?.map((c) => c.name)).toEqual(["prod-gke", "onprem"]);
    expect(r.policy?.source.workloads[0]).toMatchObject({
      kubernetes: { cluster: "prod-gke", namespace: "payments", serviceAccount: "api" },
    });
  });

  it("cluster.unknown: names the declared clusters", () => {
    expect(
      errors(`${HEAD}${CLUSTERS}\n`, `${HEAD}${POD.replace("cluster: prod-gke", "cluster: staging")}\n`),
    ).toEqual([
      {
        code: "cluster.unknown",
        line: 8,
        column: 29,
        message: "cluster staging is not declared under clusters; declared: prod-gke, onprem",
      },
    ]);
    expect(errors(`${HEAD}${POD}\n`)[0]!.message).toBe(
      "cluster prod-gke is not declared under clusters; declared: none",
    );
  });

  it("workload.cluster-cloud: a grant for a cloud the cluster is not trusted by", () => {
    const pod = POD.replace("cluster: prod-gke", "cluster: onprem");
    expect(errors(`${HEAD}${CLUSTERS}\n${pod}\n`)).toEqual([
      {
        code: "workload.cluster-cloud",
        line: 21,
        column: 18,
        message:
          "workload payments-api has an azure grant but cluster onprem is not trusted by azure: add azure: true to the cluster",
      },
    ]);
  });

  it("workload.not-for-kubernetes: GitHub keys on a pod, at the key", () => {
    const pod = POD.replace(
      "      maxLifetime: 1h",
      "      maxLifetime: 1h\n      environment: production",
    ).replace(
      "{serviceAccount: payments@acme-prod.iam.gserviceaccount.com}",
      "{serviceAccount: payments@acme-prod.iam.gserviceaccount.com, workloadIdentityProvider: projects/1/locations/global/workloadIdentityPools/p/providers/x}",
    );
    expect(errors(`${HEAD}${CLUSTERS}\n${pod}\n`)).toEqual([
      {
        code: "workload.not-for-kubernetes",
        line: 19,
        column: 7,
        message:
          "workload payments-api runs in Kubernetes: environment is for GitHub Actions workloads; a pod is its cluster, namespace and serviceAccount (remove environment)",
      },
      {
        code: "workload.not-for-kubernetes",
        line: 21,
        column: 77,
        message:
          "workload payments-api runs in Kubernetes: workloadIdentityProvider is for GitHub Actions workloads; a pod is its cluster, namespace and serviceAccount (remove workloadIdentityProvider)",
      },
    ]);
  });

  it("schema.required: a GitHub workload still needs its repository ids, and a provider per gcp grant", () => {
    const gh = [
      "  workloads:",
      "    - name: api-deploy",
      "      repository: acme/api",
      "      ownerId: 7890",
      "      ref: refs/heads/main",
      "      maxLifetime: 15m",
      "      grants:",
      "        - gcp: {serviceAccount: deployer@acme-prod.iam.gserviceaccount.com}",
    ].join("\n");
    expect(errors(`${HEAD}${gh}\n`)).toEqual([
      {
        code: "schema.required",
        line: 7,
        column: 7,
        message: 'spec.workloads[0] is missing the required key "repositoryId" (or kubernetes, for pods)',
      },
      {
        code: "schema.required",
        line: 13,
        column: 16,
        message: 'spec.workloads[0].grants[0].gcp is missing the required key "workloadIdentityProvider"',
      },
    ]);
  });

  it("cluster.jwks, cluster.gcp-pool, cluster.provider-id: cluster declarations a cloud cannot take", () => {
    const clusters = [
      "  clusters:",
      "    - name: a",
      "      issuer: https://a.example",
      "      jwks: {keys: [{kty: RSA}]}",
      "      jwksUri: https://a.example/jwks",
      "      gcp: {project: acme-prod, projectNumber: 123}",
      "    - name: b-cluster",
      "      issuer: https://b.example",
      "      gcp: {project: acme-prod, projectNumber: 123, workloadIdentityPool: projects/999/locations/global/workloadIdentityPools/k8s}",
      "    - name: prod-gke",
      "      issuer: https://c.example",
      "      gcp: {project: acme-prod, projectNumber: 123, gke: true, workloadIdentityPool: projects/123/locations/global/workloadIdentityPools/k8s}",
    ].join("\n");
    expect(errors(`${HEAD}${clusters}\n`)).toEqual([
      {
        code: "cluster.provider-id",
        line: 7,
        column: 13,
        message: "cluster name a cannot be a GCP provider id (4 to 32 of a-z, 0-9, '-'): set gcp.providerId",
      },
      {
        code: "cluster.jwks",
        line: 10,
        column: 7,
        message:
          "cluster a gives both jwks and jwksUri; give the keys inline (jwks) or where to fetch them (jwksUri), not both",
      },
      {
        code: "cluster.gcp-pool",
        line: 11,
        column: 12,
        message:
          "cluster a is not GKE (gke: false), so GCP trusts it through a provider in a workload identity pool: add workloadIdentityPool (projects/123/locations/global/workloadIdentityPools/POOL), or set gke: true",
      },
      {
        code: "cluster.gcp-pool",
        line: 14,
        column: 75,
        message:
          "pool projects/999/locations/global/workloadIdentityPools/k8s is not in project number 123 (gcp.projectNumber); name a pool of that project",
      },
      {
        code: "cluster.gcp-pool",
        line: 17,
        column: 86,
        message:
          "cluster prod-gke is a GKE cluster: its pool is projects/123/locations/global/workloadIdentityPools/acme-prod.svc.id.goog (Workload Identity Federation for GKE), not projects/123/locations/global/workloadIdentityPools/k8s; remove workloadIdentityPool or set gke: false",
      },
    ]);
  });

  it("azure.issuer-too-long: Entra's limit of 600 characters on an issuer", () => {
    const long = `https://k8s.example/${"x".repeat(600)}`;
    const c = CLUSTERS.replace(
      "https://container.googleapis.com/v1/projects/acme-prod/locations/europe-west1/clusters/prod",
      long,
    );
    expect(errors(`${HEAD}${c}\n`)).toEqual([
      {
        code: "azure.issuer-too-long",
        line: 8,
        column: 15,
        message: `issuer is ${long.length} characters; Entra accepts at most 600 in a federated credential's issuer`,
      },
    ]);
  });

  it("azure.subject-too-long: Entra's limit of 600 characters on a subject, for pods and for GitHub jobs", () => {
    const sa = `a${"b".repeat(599)}`;
    const pod = POD.replace("serviceAccount: api}", `serviceAccount: ${sa}}`);
    expect(errors(`${HEAD}${CLUSTERS}\n${pod}\n`)).toEqual([
      {
        code: "azure.subject-too-long",
        line: 17,
        column: 76,
        message:
          "workload payments-api's token subject system:serviceaccount:payments:abbbbbbbb… is 631 characters; Entra accepts at most 600 in a federated credential's subject: use a shorter namespace or service account name",
      },
    ]);
    const gh = [
      "  workloads:",
      "    - name: api-deploy",
      "      repository: acme/api",
      "      repositoryId: 123456",
      "      ownerId: 7890",
      `      environment: ${"e".repeat(580)}`,
      "      maxLifetime: 15m",
      "      grants:",
      "        - azure: {tenantId: t, clientId: app}",
    ].join("\n");
    expect(errors(`${HEAD}${gh}\n`)).toEqual([
      {
        code: "azure.subject-too-long",
        line: 11,
        column: 20,
        message:
          "workload api-deploy's token subject would be 618 characters; Entra accepts at most 600 in a federated credential's subject: use a shorter environment",
      },
    ]);
  });

  it("workload.too-many-federated-credentials counts pods and GitHub jobs on one Entra application", () => {
    const pods = Array.from({ length: 20 }, (_, i) =>
      POD.replace("  workloads:\n", "")
        .replace("payments-api", `pod-${i}`)
        .replace("serviceAccount: api}", `serviceAccount: api-${i}}`),
    ).join("\n");
    const gh = [
      "    - name: api-deploy",
      "      repository: acme/api",
      "      repositoryId: 123456",
      "      ownerId: 7890",
      "      environment: production",
      "      maxLifetime: 15m",
      "      grants:",
      "        - azure: {tenantId: t, clientId: app}",
    ].join("\n");
    const found = errors(`${HEAD}${CLUSTERS}\n  workloads:\n${pods}\n${gh}\n`);
    expect(found.map((e) => [e.code, e.message])).toEqual([
      [
        "workload.too-many-federated-credentials",
        "workload api-deploy would be federated credential 21 on Entra application app; Entra allows at most 20 per application: use another application (clientId) for some workloads",
      ],
    ]);
  });

  it("policy.duplicate-name: a cluster declared twice across files", () => {
    expect(
      errors(`${HEAD}${CLUSTERS}\n`, `${HEAD}${CLUSTERS}\n`).map((e) => [
        e.code,
        e.line,
        e.column,
        e.message,
      ]),
    ).toEqual([
      [
        "policy.duplicate-name",
        7,
        13,
        "cluster prod-gke is already declared at policies/p0.yaml:7; names are unique across policies/",
      ],
      [
        "policy.duplicate-name",
        11,
        13,
        "cluster onprem is already declared at policies/p0.yaml:11; names are unique across policies/",
      ],
    ]);
  });
});
