import { loadPolicy } from "../../core/load-policy.js";

const HEAD = "apiVersion: jitops.dev/v1\nkind: Policy\nmetadata:\n  name: w\nspec:\n  workloads:\n";
const workload = (n: number, clientId: string) =>
  [
    `    - name: w${n}`,
    "      repository: acme/api",
    "      repositoryId: 123456",
    "      ownerId: 7890",
    "      maxLifetime: 15m",
    `      environment: env${n}`,
    "      grants:",
    `        - azure: {tenantId: t, clientId: ${clientId}, subscriptionId: s}`,
  ].join("\n");
const policy = (n: number, clientId = (_: number) => "app") =>
  `${HEAD}${Array.from({ length: n }, (_, i) => workload(i + 1, clientId(i + 1))).join("\n")}\n`;

describe("Entra's limit of 20 federated credentials per application", () => {
  it("accepts 20 workloads on one application", () => {
    expect(loadPolicy([{ path: "policies/w.yaml", content: policy(20) }]).results[0]!.errors).toEqual([]);
  });

  it("refuses the 21st at its clientId, naming the limit (workload.too-many-federated-credentials)", () => {
    const r = loadPolicy([{ path: "policies/w.yaml", content: policy(21) }]);
    expect(r.policy).toBeUndefined();
    expect(r.results[0]!.errors).toEqual([
      {
        code: "workload.too-many-federated-credentials",
        line: 6 + 20 * 8 + 8,
        column: 42,
        message:
          "workload w21 would be federated credential 21 on Entra application app; Entra allows at most 20 per application: use another application (clientId) for some workloads",
      },
    ]);
  });

  it("counts per application across policy files", () => {
    const r = loadPolicy([
      { path: "policies/a.yaml", content: policy(15) },
      { path: "policies/b.yaml", content: policy(6).replace(/name: w/g, "name: x") },
    ]);
    expect(r.results[1]!.errors.map((e) => e.code)).toEqual(["workload.too-many-federated-credentials"]);
    const split = policy(21, (n) => (n % 2 ? "odd" : "even"));
    expect(loadPolicy([{ path: "policies/w.yaml", content: split }]).results[0]!.errors).toEqual([]);
  });
});
