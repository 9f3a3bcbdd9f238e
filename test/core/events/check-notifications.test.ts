import { teamsWebhookVariable } from "../../../core/events/check-notifications.js";
import { loadPolicy } from "../../../core/load-policy.js";

const HEAD = `apiVersion: jitops.dev/v1
kind: Policy
metadata:
  name: chat
spec:
`;
const ENTITLEMENT = `  entitlements:
    - name: db
      grants:
        - gcp: {resource: projects/p, role: roles/browser}
      eligible: {users: [alice]}
      maxDuration: 8h
      approval: none
`;

const load = (...contents: string[]) =>
  loadPolicy(contents.map((content, i) => ({ path: `policies/p${i}.yaml`, content })));
const errorsOf = (r: ReturnType<typeof load>) =>
  r.results.flatMap((x) => x.errors.map((e) => ({ path: x.path, ...e })));

describe("policy notifications", () => {
  it("accepts destinations, webhook names, per-entitlement notify and a Slack member id in principals", () => {
    const r = load(
      `${HEAD}  principals:
    alice: {gcp: "user:alice@example.com", slack: U0123ABCD}
  notifications:
    teamsWebhooks: [access-approvals, security]
    approvers: {slack: "#access-approvals", teams: access-approvals}
    requester: {slack: direct}
    security: {slack: "#security", teams: security}
${ENTITLEMENT}      notify:
        approvers: {slack: C0DBAPPROV}
`,
    );
    expect(errorsOf(r)).toEqual([]);
    expect(r.policy!.source.notifications).toEqual({
      teamsWebhooks: ["access-approvals", "security"],
      approvers: { slack: "#access-approvals", teams: "access-approvals" },
      requester: { slack: "direct" },
      security: { slack: "#security", teams: "security" },
    });
    expect(r.policy!.source.entitlements[0]!.notify).toEqual({ approvers: { slack: "C0DBAPPROV" } });
  });

  it("notification.unknown-destination: a Teams webhook name no policy file declares, at the value", () => {
    const r = load(
      `${HEAD}  notifications:
    teamsWebhooks: [approvals]
    approvers: {teams: approvals}
    security: {teams: secruity}
`,
    );
    expect(errorsOf(r)).toEqual([
      {
        path: "policies/p0.yaml",
        line: 9,
        column: 23,
        code: "notification.unknown-destination",
        message:
          "teams webhook secruity is not declared in notifications.teamsWebhooks (declared: approvals); declare it there and set its URL in JITOPS_TEAMS_WEBHOOK_SECRUITY",
      },
    ]);
    expect(r.policy).toBeUndefined();
  });

  it("notification.unknown-destination: an entitlement's notify, and no webhook declared at all", () => {
    const r = load(`${HEAD}${ENTITLEMENT}      notify:\n        security: {teams: sec}\n`);
    expect(errorsOf(r)).toEqual([
      expect.objectContaining({
        line: 14,
        column: 27,
        code: "notification.unknown-destination",
        message: expect.stringContaining("(none is declared)"),
      }),
    ]);
  });

  it("webhook names declared in one file serve destinations in another", () => {
    const r = load(
      `${HEAD}  notifications:\n    teamsWebhooks: [sec-ops]\n`,
      `${HEAD}  notifications:\n    security: {teams: sec-ops}\n`,
    );
    expect(errorsOf(r)).toEqual([]);
    expect(teamsWebhookVariable("sec-ops")).toBe("JITOPS_TEAMS_WEBHOOK_SEC_OPS");
  });

  it("policy.duplicate-name: an audience set by two files is reported at the later key", () => {
    const r = load(
      `${HEAD}  notifications:\n    approvers: {slack: "#a"}\n`,
      `${HEAD}  notifications:\n    approvers: {slack: "#b"}\n`,
    );
    expect(errorsOf(r)).toEqual([
      {
        path: "policies/p1.yaml",
        line: 7,
        column: 5,
        code: "policy.duplicate-name",
        message:
          "notifications.approvers is already set at policies/p0.yaml:7; each of approvers, requester and security is set in one policy file",
      },
    ]);
  });

  it.each([
    ["approvers: {slack: access-approvals}", "schema.pattern"],
    ["approvers: {slack: direct}", "schema.pattern"],
    ["approvers: {}", "schema.shape"],
    ["approvers: {email: a@b.c}", "schema.additional"],
    ["teamsWebhooks: [Security]", "schema.pattern"],
  ])("refuses %s (%s)", (line, code) => {
    const r = load(`${HEAD}  notifications:\n    ${line}\n`);
    expect(errorsOf(r).map((e) => e.code)).toEqual([code]);
  });

  it("invariant: a Slack member id in principals is no cloud principal, so no request can name it", () => {
    const r = load(`${HEAD}  principals:\n    alice: {gcp: "user:alice@example.com", slack: U0123ABCD}\n`);
    expect(r.policy!.principalOwners.get("U0123ABCD")).toBeUndefined();
    expect(r.policy!.principalOwners.get("user:alice@example.com")).toEqual(new Set(["alice"]));
  });
});
