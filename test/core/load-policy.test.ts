import { isEligible } from "../../core/compile-policy.js";
import { loadPolicy } from "../../core/load-policy.js";
import { POLICY_YAML } from "../fixtures/policy.js";

const HEAD = `apiVersion: jitops.dev/v1
kind: Policy
metadata:
  name: extra
spec:
`;

function entitlement(lines: string[]): string {
  return `${HEAD}  entitlements:\n    - name: x-ent\n${lines.map((l) => `      ${l}`).join("\n")}\n`;
}

const OK_ENT = [
  "grants:",
  "  - gcp: {resource: projects/p, role: roles/browser}",
  "eligible: {teams: [acme/backend]}",
  "maxDuration: 8h",
  "approval: none",
];

/** Replaces one line (0-based within the entitlement body). */
function ent(i: number, text: string): string {
  const lines = [...OK_ENT];
  lines[i] = text;
  return entitlement(lines);
}

describe("loadPolicy", () => {
  it("merges files in path order and compiles the policy", () => {
    const r = loadPolicy([
      { path: "policies/b.yaml", content: entitlement(OK_ENT) },
      { path: "policies/a.yaml", content: POLICY_YAML },
    ]);
    expect(r.results.map((x) => x.path)).toEqual(["policies/a.yaml", "policies/b.yaml"]);
    expect(r.policy).toBeDefined();
    expect([...r.policy!.entitlements.keys()]).toEqual(["prod-db-reader", "staging-viewer", "x-ent"]);
    expect(r.policy!.principalOwners.get("user:alice@example.com")).toEqual(new Set(["alice"]));
  });

  it.each([
    ["duration.invalid", ent(3, "maxDuration: 0h"), 11, 20],
    ["duration.invalid", ent(3, "maxDuration: forever"), 11, 20],
    ["duration.invalid", entitlement([...OK_ENT, "breakGlass: {maxDuration: 1 hour}"]), 13, 33],
    ["gcp.basic-role", ent(1, "  - gcp: {resource: projects/p, role: roles/owner}"), 9, 45],
    ["gcp.basic-role", ent(1, "  - gcp: {resource: projects/p, role: roles/editor}"), 9, 45],
    ["gcp.basic-role", ent(1, "  - gcp: {resource: projects/p, role: roles/viewer}"), 9, 45],
    ["gcp.public-principal", `${HEAD}  principals:\n    x: {gcp: allUsers}\n`, 7, 14],
    ["gcp.public-principal", `${HEAD}  principals:\n    x: {gcp: allAuthenticatedUsers}\n`, 7, 14],
    ["schema.pattern", ent(2, "eligible: {teams: [backend]}"), 10, 26],
    ["schema.required", entitlement(OK_ENT.slice(0, 4)), 7, 7],
    ["schema.additional", entitlement([...OK_ENT, "owner: me"]), 13, 7],
    [
      "schema.shape",
      ent(1, "  - {gcp: {resource: projects/p, role: roles/browser}, azure: {scope: /s, role: Reader}}"),
      9,
      11,
    ],
    ["schema.type", ent(4, "approval: sometimes"), 12, 17],
    ["schema.min-items", ent(4, "approval: []"), 12, 17],
    ["schema.minimum", ent(4, "approval: [{count: 0, from: {users: [bob]}}]"), 12, 26],
    ["policy.ticket-pattern", entitlement([...OK_ENT, 'require: {ticket: "(a"}']), 13, 25],
    ["policy.ticket-pattern", entitlement([...OK_ENT, 'require: {ticket: "(a)\\\\1"}']), 13, 25],
    ["policy.ticket-pattern", entitlement([...OK_ENT, `require: {ticket: "${"a".repeat(300)}"}`]), 13, 25],
    ["kubernetes.role-ref", ent(1, "  - kubernetes: {cluster: c, role: r}"), 9, 42],
    ["kubernetes.role-ref", ent(1, "  - kubernetes: {cluster: c, namespace: n}"), 9, 23],
  ])("reports %s", (code, content, line, column) => {
    const r = loadPolicy([{ path: "policies/x.yaml", content }]);
    expect(r.policy).toBeUndefined();
    expect(r.results[0]!.errors).toContainEqual(expect.objectContaining({ code, line, column }));
  });

  // Every policy error says what was wrong and what is accepted.
  it.each([
    [
      "duration.invalid",
      ent(3, "maxDuration: 0h"),
      'maxDuration "0h" is not a positive duration; use (Nd)(Nh)(Nm), e.g. 30m, 4h, 1h30m, 2d',
    ],
    [
      "gcp.basic-role",
      ent(1, "  - gcp: {resource: projects/p, role: roles/owner}"),
      "role roles/owner is a basic role and cannot carry an IAM condition, so it could never expire; use a predefined or custom role",
    ],
    [
      "gcp.public-principal",
      `${HEAD}  principals:\n    x: {gcp: allUsers}\n`,
      "principal allUsers is not accepted: grants to everyone cannot carry an expiry condition",
    ],
    [
      "policy.ticket-pattern",
      entitlement([...OK_ENT, 'require: {ticket: "(a"}']),
      'ticket pattern "(a" is not accepted: the pattern does not compile: missing ")" at position 3 (supported: literals, ., classes, groups, |, * + ? {n,m}, ^ $; no backreferences or lookaround)',
    ],
    [
      "kubernetes.role-ref",
      ent(1, "  - kubernetes: {cluster: c, role: r}"),
      "role r is namespaced: add namespace, or use clusterRole",
    ],
    [
      "schema.pattern",
      ent(2, "eligible: {teams: [backend]}"),
      'spec.entitlements[0].eligible.teams[0] is the string "backend"; expected a GitHub team as org/team',
    ],
  ])("says what is wrong for %s", (code, content, message) => {
    const r = loadPolicy([{ path: "policies/x.yaml", content }]);
    expect(r.results[0]!.errors.find((e) => e.code === code)?.message).toBe(message);
  });

  it("reports a duplicate entitlement name at each later occurrence, files in path order", () => {
    const r = loadPolicy([
      { path: "policies/c.yaml", content: entitlement(OK_ENT) },
      { path: "policies/a.yaml", content: entitlement(OK_ENT) },
      { path: "policies/b.yaml", content: entitlement(OK_ENT) },
    ]);
    expect(r.policy).toBeUndefined();
    expect(r.results.map((x) => [x.path, x.errors.map((e) => `${e.code}@${e.line}:${e.column}`)])).toEqual([
      ["policies/a.yaml", []],
      ["policies/b.yaml", ["policy.duplicate-name@7:13"]],
      ["policies/c.yaml", ["policy.duplicate-name@7:13"]],
    ]);
  });

  const WORKLOAD = [
    "  workloads:",
    "    - name: deploy",
    "      repository: acme/api",
    "      repositoryId: 123456",
    "      ownerId: 7890",
    "      maxLifetime: 15m",
    "      ref: refs/heads/main",
    "      grants:",
    "        - azure: {tenantId: t, clientId: c}",
  ];
  const workload = (i: number, text: string) => {
    const l = [...WORKLOAD];
    l[i] = text;
    return `${HEAD}${l.join("\n")}\n`;
  };

  it("accepts a workload keyed on numeric ids", () => {
    expect(
      loadPolicy([{ path: "policies/w.yaml", content: workload(0, WORKLOAD[0]!) }]).policy,
    ).toBeDefined();
  });

  it.each([
    ["schema.type", workload(3, '      repositoryId: "123456"'), 9, 21],
    ["schema.required", `${HEAD}${WORKLOAD.filter((_, i) => i !== 5).join("\n")}\n`, 7, 7],
    ["workload.subject", `${HEAD}${WORKLOAD.filter((_, i) => i !== 6).join("\n")}\n`, 13, 18],
    ["workload.wildcard", workload(2, "      repository: acme/*"), 8, 19],
    ["duration.invalid", workload(5, "      maxLifetime: 0m"), 11, 20],
  ])("refuses a workload with %s", (code, content, line, column) => {
    const r = loadPolicy([{ path: "policies/w.yaml", content }]);
    expect(r.results[0]!.errors).toContainEqual(expect.objectContaining({ code, line, column }));
  });

  it("refuses two workloads of one repository on one GCP provider with different constraints", () => {
    const w = (name: string, ref: string) =>
      [
        `    - name: ${name}`,
        "      repository: acme/api",
        "      repositoryId: 123456",
        "      ownerId: 7890",
        "      maxLifetime: 15m",
        `      ref: ${ref}`,
        "      grants:",
        "        - gcp: {serviceAccount: sa@p.iam.gserviceaccount.com, workloadIdentityProvider: projects/1/locations/global/workloadIdentityPools/gh/providers/gh}",
      ].join("\n");
    const r = loadPolicy([
      {
        path: "policies/w.yaml",
        content: `${HEAD}  workloads:\n${w("prod", "refs/heads/main")}\n${w("any", "refs/heads/dev")}\n`,
      },
    ]);
    expect(r.results[0]!.errors).toEqual([
      expect.objectContaining({ code: "workload.shared-provider", line: 17, column: 21 }),
    ]);
  });

  it("decides eligibility by user or team, case-insensitively", () => {
    const e = loadPolicy([{ path: "policies/a.yaml", content: POLICY_YAML }]).policy!.entitlements.get(
      "prod-db-reader",
    )!;
    expect(isEligible(e, "Alice", [])).toBe(true);
    expect(isEligible(e, "bob", ["ACME/backend"])).toBe(true);
    expect(isEligible(e, "bob", ["acme/sre"])).toBe(false);
  });
});
