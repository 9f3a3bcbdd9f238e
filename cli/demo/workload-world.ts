import { policyCheckout } from "./policy-checkout.js";
import { Agent } from "node:https";
import { rmSync } from "node:fs";
import type { ActionIO } from "../../action/action-io.js";
import type { Clock } from "../../core/clock.js";
import type { Env } from "../../core/env.js";
import type { GitHubWorkload } from "../../core/types.js";
import { graphCredentialsClient } from "../../providers/azure-graph-client.js";
import { iamTrustClient, type AuthorizedRequest } from "../../providers/gcp-trust-client.js";
import type { TrustClients } from "../../providers/trust-provider.js";
import { createIdentitySim, type IdentitySim } from "@jitops/sim/identity";
import { fixedAzureToken } from "./fixed-azure-token.js";

/** The repository and job the demo's workload runs as. */
export const DEMO_WORKLOAD: GitHubWorkload = {
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
    {
      azure: {
        tenantId: "72f988bf-86f1-41af-91ab-2d7cd011db47",
        clientId: "5d0b4f0e-3c1a-4b7e-9f2d-8a6c1e0b3d47",
      },
    },
  ],
};

/** The job claims of a run of the demo workload; override to make it someone else. */
export function jobClaims(over: Record<string, string> = {}) {
  return {
    repository: "acme/api",
    repository_id: "123456",
    repository_owner: "acme",
    repository_owner_id: "7890",
    ref: "refs/heads/main",
    environment: "production",
    event_name: "push",
    workflow_ref: "acme/api/.github/workflows/deploy.yml@refs/heads/main",
    ...over,
  };
}

/** The embedded identity cloud, seeded with an unconfigured provider, a service account and an app. */
export interface WorkloadWorld {
  sim: IdentitySim;
  /** A checkout holding `policies/` with the demo workload (issuer: the embedded one). */
  root: string;
  trust: TrustClients;
  env: Env;
  azureAgent: Agent;
  /** An ActionIO whose OIDC tokens come from the embedded Actions runtime for the current job. */
  io(inputs: Record<string, string>): {
    io: ActionIO;
    outputs: Record<string, string>;
    logs: string[];
    secrets: string[];
    state: Record<string, string>;
    failed?: string;
  };
  close(): Promise<void>;
}

/** Trust clients for the embedded IAM and Graph, signed in as the demo's administrator. */
export function adminTrustClients(urls: { iam: string; graph: string }): TrustClients {
  const request: AuthorizedRequest = async (opts) => {
    const res = await fetch(opts.url, {
      method: opts.method,
      headers: { Authorization: "Bearer jitops-demo-admin", "Content-Type": "application/json" },
      ...(opts.data ? { body: JSON.stringify(opts.data) } : {}),
    });
    if (!res.ok)
      throw Object.assign(new Error(`${opts.method} ${opts.url}: ${res.status} ${await res.text()}`), {
        code: res.status,
      });
    return { data: (await res.json()) as never };
  };
  return {
    gcp: iamTrustClient(request, urls.iam),
    azure: graphCredentialsClient(fixedAzureToken("jitops-demo-admin"), urls.graph),
  };
}

/** Starts the identity sim and the demo workload's policy; trust is left for `jitops apply` to set. */
export async function startWorkloadWorld(clock: Clock): Promise<WorkloadWorld> {
  const sim = createIdentitySim({ clock });
  const urls = await sim.start();
  const workload = { ...DEMO_WORKLOAD, issuer: urls.issuer };
  const gcp = workload.grants[0]! as { gcp: { serviceAccount: string; workloadIdentityProvider: string } };
  const azure = workload.grants[1]! as { azure: { tenantId: string; clientId: string } };
  // What an administrator created by hand; the condition admits nobody until jitops applies policy.
  sim.createWorkloadIdentityProvider(gcp.gcp.workloadIdentityProvider, {
    issuerUri: urls.issuer,
    attributeMapping: { "google.subject": "assertion.sub" },
    attributeCondition: "assertion.repository_owner_id == '0'",
  });
  sim.createServiceAccount(gcp.gcp.serviceAccount);
  sim.createAzureApp({
    tenantId: azure.azure.tenantId,
    clientId: azure.azure.clientId,
    objectId: "9a3f4c52-0d1e-4e6b-8c7a-1b2c3d4e5f60",
  });

  const root = policyCheckout("jitops-workload-", "workloads", { workloads: [workload] });
  const trust = adminTrustClients(urls);
  const env = {
    JITOPS_GCP_STS_URL: `${urls.sts}/v1/token`,
    JITOPS_GCP_IAMCREDENTIALS_URL: urls.iamCredentials,
    JITOPS_AZURE_AUTHORITY_HOST: urls.azureLogin,
    ...sim.actionsEnv(),
  };
  const azureAgent = new Agent({ ca: sim.tlsCertificate });

  const io: WorkloadWorld["io"] = (inputs) => {
    const rec = {
      outputs: {} as Record<string, string>,
      logs: [] as string[],
      secrets: [] as string[],
      state: {} as Record<string, string>,
      failed: undefined as string | undefined,
    };
    const actions = sim.actionsEnv();
    const actionIO: ActionIO = {
      input: (n) => inputs[n] ?? "",
      setOutput: (n, v) => void (rec.outputs[n] = v),
      annotate: (_l, m) => void rec.logs.push(m),
      summary: async () => undefined,
      info: (m) => void rec.logs.push(m),
      setFailed: (m) => void ((rec.failed = m), rec.logs.push(m)),
      saveState: (n, v) => void (rec.state[n] = v),
      getState: (n) => rec.state[n] ?? "",
      // What @actions/core getIDToken does on a runner, against the embedded Actions runtime.
      idToken: async (audience) => {
        const res = await fetch(
          `${actions.ACTIONS_ID_TOKEN_REQUEST_URL}&audience=${encodeURIComponent(audience)}`,
          {
            headers: { Authorization: `Bearer ${actions.ACTIONS_ID_TOKEN_REQUEST_TOKEN}` },
          },
        );
        if (!res.ok) throw new Error(`OIDC token request failed: ${res.status}`);
        return ((await res.json()) as { value: string }).value;
      },
      setSecret: (v) => void rec.secrets.push(v),
      exportVariable: (n, v) => void (rec.outputs[`env:${n}`] = v),
      tempDir: () => root,
    };
    return Object.assign(rec, { io: actionIO });
  };

  return {
    sim,
    root,
    trust,
    env,
    azureAgent,
    io,
    close: async () => {
      azureAgent.destroy();
      await sim.stop();
      rmSync(root, { recursive: true, force: true });
    },
  };
}
