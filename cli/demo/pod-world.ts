import { policyCheckout } from "./policy-checkout.js";
import { Agent } from "node:https";
import { rmSync } from "node:fs";
import type { Clock } from "../../core/clock.js";
import type { Cluster, KubernetesWorkload } from "../../core/types.js";
import type { TrustClients } from "../../providers/trust-provider.js";
import { createIdentitySim, type IdentitySim } from "@jitops/sim/identity";
import { adminTrustClients } from "./workload-world.js";

/** The GCP project the demo's clusters and service accounts live in. */
export const POD_PROJECT = { project: "acme-prod", projectNumber: 123 } as const;
/** The pool jitops puts the private (non-GKE) cluster's provider in. */
export const K8S_POOL = "projects/123/locations/global/workloadIdentityPools/kubernetes";
/** The Entra application the GKE pods sign in as. */
export const POD_APP = {
  tenantId: "72f988bf-86f1-41af-91ab-2d7cd011db47",
  clientId: "8e1c2a4f-7b3d-4c6e-9a0f-2d4b6c8e0a13",
  objectId: "4b7d9f1a-3c5e-4a70-8b92-d4f6a8c0e2b4",
};

/** A pod on GKE (payments/api) with GCP and Azure grants. */
export const GKE_POD: KubernetesWorkload = {
  name: "payments-api",
  kubernetes: { cluster: "prod-gke", namespace: "payments", serviceAccount: "api" },
  maxLifetime: "1h",
  grants: [
    { gcp: { serviceAccount: "payments@acme-prod.iam.gserviceaccount.com" } },
    { azure: { tenantId: POD_APP.tenantId, clientId: POD_APP.clientId } },
  ],
};

/** A pod on a private on-premises cluster (batch/runner), trusted by GCP through a pool provider. */
export const ONPREM_POD: KubernetesWorkload = {
  name: "batch-runner",
  kubernetes: { cluster: "onprem", namespace: "batch", serviceAccount: "runner" },
  maxLifetime: "1h",
  grants: [{ gcp: { serviceAccount: "batch@acme-prod.iam.gserviceaccount.com" } }],
};

/** The embedded identity cloud with three clusters (a GKE one, a private one, an unrelated one) and a policy for two pods. */
export interface PodWorld {
  sim: IdentitySim;
  root: string;
  trust: TrustClients;
  clusters: Cluster[];
  azureAgent: Agent;
  env: { sts: string; iamCredentials: string; authorityHost: string };
  /** The provider jitops creates for the on-premises cluster. */
  onpremProvider: string;
  /** What the GKE metadata server does for a pod: exchange its token at STS, then impersonate `serviceAccount`. */
  gkeMetadataToken(podToken: string, serviceAccount: string): Promise<{ accessToken: string }>;
  close(): Promise<void>;
}

async function postJson(url: string, body: unknown, bearer?: string): Promise<Record<string, unknown>> {
  const res = await fetch(url, {
    method: "POST",
    headers: { "Content-Type": "application/json", ...(bearer ? { Authorization: `Bearer ${bearer}` } : {}) },
    body: JSON.stringify(body),
  });
  const out = (await res.json()) as Record<string, unknown>;
  if (!res.ok) throw new Error(`${url} answered ${res.status}: ${JSON.stringify(out)}`);
  return out;
}

/** Starts the sim with the clusters, service accounts and app; trust is left for `jitops apply` to set. */
export async function startPodWorld(clock: Clock): Promise<PodWorld> {
  const sim = createIdentitySim({ clock });
  const urls = await sim.start();
  const gkeIssuer = await sim.createCluster("prod-gke");
  sim.enableGkeWorkloadIdentity("prod-gke", POD_PROJECT);
  const onpremIssuer = await sim.createCluster("onprem", { private: true });
  await sim.createCluster("other");
  for (const w of [GKE_POD, ONPREM_POD])
    for (const g of w.grants) if ("gcp" in g) sim.createServiceAccount(g.gcp.serviceAccount);
  sim.createAzureApp(POD_APP);

  const clusters: Cluster[] = [
    { name: "prod-gke", issuer: gkeIssuer, gcp: { ...POD_PROJECT, gke: true }, azure: true },
    {
      name: "onprem",
      issuer: onpremIssuer,
      jwks: sim.clusterJwks("onprem"),
      gcp: { ...POD_PROJECT, workloadIdentityPool: K8S_POOL },
    },
  ];
  const root = policyCheckout("jitops-pods-", "pods", { clusters, workloads: [GKE_POD, ONPREM_POD] });
  const env = {
    sts: `${urls.sts}/v1/token`,
    iamCredentials: urls.iamCredentials,
    authorityHost: urls.azureLogin,
  };
  const azureAgent = new Agent({ ca: sim.tlsCertificate });
  return {
    sim,
    root,
    trust: adminTrustClients(urls),
    clusters,
    azureAgent,
    env,
    onpremProvider: `${K8S_POOL}/providers/onprem`,
    async gkeMetadataToken(podToken, serviceAccount) {
      const federated = await postJson(env.sts, {
        grantType: "urn:ietf:params:oauth:grant-type:token-exchange",
        audience: `identitynamespace:${POD_PROJECT.project}.svc.id.goog:${gkeIssuer}`,
        scope: "https://www.googleapis.com/auth/cloud-platform",
        requestedTokenType: "urn:ietf:params:oauth:token-type:access_token",
        subjectTokenType: "urn:ietf:params:oauth:token-type:jwt",
        subjectToken: podToken,
      });
      const sa = await postJson(
        `${env.iamCredentials}/v1/projects/-/serviceAccounts/${serviceAccount}:generateAccessToken`,
        { scope: ["https://www.googleapis.com/auth/cloud-platform"], lifetime: "3600s" },
        String(federated.access_token),
      );
      return { accessToken: String(sa.accessToken) };
    },
    close: async () => {
      azureAgent.destroy();
      await sim.stop();
      rmSync(root, { recursive: true, force: true });
    },
  };
}
