import { runTrust } from "../../cli/commands/trust.js";
import type { FederatedCredential } from "../../core/trust/azure-trust.js";
import type { TrustClients } from "../../providers/trust-provider.js";
import { captureOutput } from "../fixtures/capture-output.js";
import { NOW, POLICY_YAML } from "../fixtures/policy.js";
import { tempRepo } from "../fixtures/temp-repo.js";

const CLIENT = "5d0b4f0e-3c1a-4b7e-9f2d-8a6c1e0b3d47";
const WORKLOADS = `${POLICY_YAML}  workloads:
    - name: api-deploy
      repository: acme/api
      repositoryId: 123456
      ownerId: 7890
      environment: production
      maxLifetime: 15m
      grants:
        - gcp:
            serviceAccount: deployer@acme-prod.iam.gserviceaccount.com
            workloadIdentityProvider: projects/123/locations/global/workloadIdentityPools/github/providers/github
        - azure: {tenantId: 72f988bf-86f1-41af-91ab-2d7cd011db47, clientId: ${CLIENT}, subscriptionId: s}
`;

/** An Entra app registration's federated credentials, in memory; `refuse` makes writes fail as Graph would. */
function fakeEntra(refuse = false) {
  const held: (FederatedCredential & { id: string })[] = [];
  const azure = {
    list: async () => held.map((c) => ({ ...c })),
    add: async (_clientId: string, c: FederatedCredential) => {
      if (refuse) throw new Error("Graph POST answered 403: Authorization_RequestDenied");
      held.push({ ...c, id: `id-${held.length}` });
    },
    remove: async (_clientId: string, id: string) =>
      void held.splice(
        held.findIndex((c) => c.id === id),
        1,
      ),
  };
  return { held, clients: { azure } as unknown as TrustClients };
}

describe("plan --trust and apply with --provider", () => {
  let repo: { root: string; remove: () => void };
  beforeAll(() => (repo = tempRepo({ "policies/test.yaml": WORKLOADS })));
  afterAll(() => repo.remove());

  const run = async (opts: { apply: boolean; provider?: "gcp" | "azure" }, clients: TrustClients) => {
    const o = captureOutput();
    const code = await runTrust({ ...opts, root: repo.root, now: NOW }, o, {}, clients);
    return { code, out: o.stdout };
  };

  it("limits the comparison to one cloud: azure only reads and changes Azure, and says what it compared", async () => {
    const entra = fakeEntra();
    const plan = await run({ apply: false, provider: "azure" }, entra.clients);
    expect(plan.code).toBe(1);
    expect(plan.out).toEqual([
      "drift: 1 change needed (azure: 1 application)",
      `  azure app ${CLIENT}: add federated credential jitops-api-deploy for repo:acme@7890/api@123456:environment:production`,
    ]);
    // Without --provider the GCP side is compared too (and, with no GCP client, reported as drift).
    const both = await run({ apply: false }, entra.clients);
    expect(both.out[0]).toBe(
      "drift: 3 changes needed (gcp: 1 provider, 1 service account; azure: 1 application)",
    );

    const apply = await run({ apply: true, provider: "azure" }, entra.clients);
    expect(apply).toEqual({
      code: 0,
      out: [
        `applied: azure app ${CLIENT}: add federated credential jitops-api-deploy for repo:acme@7890/api@123456:environment:production`,
      ],
    });
    expect(entra.held.map((c) => c.name)).toEqual(["jitops-api-deploy"]);
    expect(await run({ apply: false, provider: "azure" }, entra.clients)).toEqual({
      code: 0,
      out: ["trust matches policy (azure: 1 application)"],
    });
  });

  it("a change the cloud refuses is a runtime failure: exit 3", async () => {
    const r = await run({ apply: true, provider: "azure" }, fakeEntra(true).clients);
    expect(r.code).toBe(3);
    expect(r.out).toEqual([
      `failed: azure app ${CLIENT}: add federated credential jitops-api-deploy for repo:acme@7890/api@123456:environment:production: Graph POST answered 403: Authorization_RequestDenied`,
    ]);
  });
});

describe("plan --trust reports workloads whose certification lapsed (from Git, never from memory)", () => {
  const CERTIFIED = WORKLOADS.replace(
    "      maxLifetime: 15m\n",
    "      maxLifetime: 15m\n      certification: {every: 90d, reviewers: {name: security, count: 1, from: {teams: [acme/security]}}, onNoResponse: suspend}\n",
  );
  it("a workload under certification with no merged record is reported uncertified, with its policy", async () => {
    const repo = tempRepo({ "policies/test.yaml": CERTIFIED });
    try {
      const o = captureOutput();
      await runTrust(
        {
          apply: false,
          provider: "azure",
          json: true,
          root: repo.root,
          now: new Date("2026-12-01T10:00:00Z"),
        },
        o,
        {},
        fakeEntra().clients,
      );
      const out = JSON.parse(o.stdout.join("\n")) as { uncertified: unknown[] };
      expect(out.uncertified).toEqual([
        { workload: "api-deploy", policy: expect.any(String), onNoResponse: "suspend" },
      ]);
      const text = captureOutput();
      await runTrust(
        { apply: false, provider: "azure", root: repo.root, now: new Date("2026-12-01T10:00:00Z") },
        text,
        {},
        fakeEntra().clients,
      );
      expect(text.stdout[0]).toMatch(
        /^uncertified: workload api-deploy \(policy .*: never certified; onNoResponse suspend\)$/,
      );
    } finally {
      repo.remove();
    }
  });
});
