import { createServer as createTcpServer, type AddressInfo } from "node:net";
import { stringify } from "yaml";
import { runCredentialsMode } from "../../action/credentials-mode.js";
import { runAction } from "../../action/run.js";
import { runTrust } from "../../cli/commands/trust.js";
import {
  DEMO_WORKLOAD,
  jobClaims,
  startWorkloadWorld,
  type WorkloadWorld,
} from "../../cli/demo/workload-world.js";
import { ConfigError } from "../../core/config-error.js";
import { RemoteError } from "../../core/remote-error.js";
import { captureOutput } from "../fixtures/capture-output.js";
import { recordActionIO } from "../fixtures/record-action-io.js";
import { tempRepo } from "../fixtures/temp-repo.js";

const SA = "deployer@acme-prod.iam.gserviceaccount.com";
const TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47";
const CLIENT = "5d0b4f0e-3c1a-4b7e-9f2d-8a6c1e0b3d47";
const HEAD = ["Workload", "Provider", "Principal", "Lifetime", "Expires"];

/** A checkout holding only the demo workload's policy. */
function policyRepo() {
  return tempRepo({
    "policies/workloads.yaml": stringify({
      apiVersion: "jitops.dev/v1",
      kind: "Policy",
      metadata: { name: "workloads" },
      spec: { workloads: [DEMO_WORKLOAD] },
    }),
  });
}

describe("credentials mode without permissions: id-token: write", () => {
  const NO_TOKEN =
    'this job cannot request an OIDC token: add "permissions: id-token: write" to the job (ACTIONS_ID_TOKEN_REQUEST_URL is not set)';

  it("says exactly the fix, asks for no token, and the summary says no principal is held", async () => {
    const repo = policyRepo();
    let asked = 0;
    const { io, rec } = recordActionIO(
      { mode: "credentials", workload: "api-deploy", provider: "gcp" },
      async () => {
        asked++;
        throw new Error("Unable to get ACTIONS_ID_TOKEN_REQUEST_URL env variable");
      },
    );
    try {
      const e = await runCredentialsMode(io, repo.root, {}, () => new Date()).catch((x: unknown) => x);
      expect(e).toBeInstanceOf(ConfigError);
      expect((e as Error).message).toBe(NO_TOKEN);
      expect(asked).toBe(0);
      expect(rec.summaries).toEqual([
        {
          heading: "jitops credentials: api-deploy",
          text: `No credentials were issued: ${NO_TOKEN}`,
          rows: [HEAD, ["api-deploy", "gcp", "none", "-", "-"]],
        },
      ]);
    } finally {
      repo.remove();
    }
  });

  it("the step fails with that message", async () => {
    const repo = policyRepo();
    const { io, rec } = recordActionIO({
      mode: "credentials",
      workload: "api-deploy",
      provider: "azure",
      path: repo.root,
    });
    try {
      await runAction(io, {}, () => new Date());
      expect(rec.failed).toBe(`jitops credentials failed: ${NO_TOKEN}`);
    } finally {
      repo.remove();
    }
  });
});

describe("credentials mode job summary on the embedded cloud", () => {
  let world: WorkloadWorld;
  beforeAll(async () => {
    world = await startWorkloadWorld(() => new Date());
    expect(await runTrust({ apply: true, root: world.root }, captureOutput(), {}, world.trust)).toBe(0);
  });
  afterAll(async () => world.close());

  /** A run whose summaries are recorded (the world's own io drops them). */
  function run(inputs: Record<string, string>) {
    const r = world.io({ mode: "credentials", workload: "api-deploy", ...inputs });
    const summaries: { heading: string; rows: string[][]; text: string }[] = [];
    r.io.summary = async (s) => void summaries.push(s);
    return { ...r, summaries };
  }

  it("GCP: the service account, the lifetime policy allows and the expiry", async () => {
    world.sim.setJob({ claims: jobClaims() });
    const r = run({ provider: "gcp" });
    await runCredentialsMode(r.io, world.root, world.env, () => new Date());
    expect(r.summaries).toEqual([
      {
        heading: "jitops credentials: api-deploy",
        text: `This job holds short-lived GCP credentials as service account ${SA}.`,
        rows: [HEAD, ["api-deploy", "gcp", `service account ${SA}`, "15 min", r.outputs.expires_at]],
      },
    ]);
    expect(Date.parse(r.outputs.expires_at!)).toBeGreaterThan(Date.now());
  });

  it("Azure: the client id and tenant, and the expiry Entra set", async () => {
    world.sim.setJob({ claims: jobClaims(), subjectForm: "immutable" });
    const r = run({ provider: "azure" });
    await runCredentialsMode(r.io, world.root, world.env, () => new Date(), world.azureAgent);
    expect(r.summaries).toHaveLength(1);
    const [head, row] = r.summaries[0]!.rows;
    expect(head).toEqual(HEAD);
    expect(row!.slice(0, 3)).toEqual(["api-deploy", "azure", `client ${CLIENT} in tenant ${TENANT}`]);
    expect(row![3]).toMatch(/^\d+ min \(set by Entra ID\)$/);
    expect(row![4]).toBe(r.outputs.expires_at);
  });

  it("a job policy refuses: no principal, and why", async () => {
    world.sim.setJob({ claims: jobClaims({ environment: "staging" }) });
    const r = run({ provider: "gcp" });
    await expect(runCredentialsMode(r.io, world.root, world.env, () => new Date())).rejects.toThrow(
      /may not use workload api-deploy/,
    );
    expect(r.summaries[0]!.rows[1]).toEqual(["api-deploy", "gcp", "none", "-", "-"]);
    expect(r.summaries[0]!.text).toMatch(/^No credentials were issued: policy does not allow this job: /);
  });

  it("an STS that refuses connections is named, with the variable that chose it", async () => {
    const server = createTcpServer();
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    world.sim.setJob({ claims: jobClaims() });
    const r = run({ provider: "gcp" });
    const e = await runCredentialsMode(
      r.io,
      world.root,
      { ...world.env, JITOPS_GCP_STS_URL: `http://${host}/v1/token` },
      () => new Date(),
    ).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(RemoteError);
    expect((e as Error).message).toBe(
      `GCP at ${host} could not be reached for the token exchange: connection refused: check JITOPS_GCP_STS_URL and the network`,
    );
    expect(r.summaries[0]!.rows[1]).toEqual(["api-deploy", "gcp", "none", "-", "-"]);
  });
});
