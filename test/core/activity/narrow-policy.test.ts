import { narrowPolicyRole } from "../../../core/activity/narrow-policy.js";

const policy = `# owners: acme/security
apiVersion: jitops.dev/v1
kind: Policy
metadata:
  name: production
spec:
  entitlements:
    - name: prod-db-reader   # keep this comment
      grants:
        - gcp: {resource: projects/acme-prod, role: roles/cloudsql.admin}
        - azure: {scope: /subscriptions/s, role: "Contributor"}
      eligible: {teams: [acme/backend]}
      maxDuration: 8h
      approval: none
`;
const files = [{ path: "policies/production.yaml", content: policy }];

describe("narrowPolicyRole", () => {
  it("changes only the role's characters: comments, flow mappings and spacing stay", () => {
    const r = narrowPolicyRole(files, {
      entitlement: "prod-db-reader",
      provider: "gcp",
      from: "roles/cloudsql.admin",
      to: "roles/cloudsql.viewer",
    });
    expect(r).toEqual({
      ok: true,
      line: 10,
      column: 53,
      file: {
        path: "policies/production.yaml",
        content: policy.replace("roles/cloudsql.admin", "roles/cloudsql.viewer"),
      },
    });
  });

  it("keeps a quoted role quoted, and quotes a role with spaces", () => {
    const r = narrowPolicyRole(files, {
      entitlement: "prod-db-reader",
      provider: "azure",
      from: "Contributor",
      to: "Storage Blob Data Reader",
    });
    expect(r.ok && r.file.content).toBe(policy.replace('"Contributor"', '"Storage Blob Data Reader"'));
  });

  it("reports rightsize.grant-not-found when no grant of the entitlement holds the role", () => {
    expect(
      narrowPolicyRole(files, {
        entitlement: "prod-db-reader",
        provider: "gcp",
        from: "roles/x",
        to: "roles/y",
      }),
    ).toEqual({
      ok: false,
      error: {
        code: "rightsize.grant-not-found",
        message:
          "no gcp grant of role roles/x in entitlement prod-db-reader under policies/; rightsize --pr edits an entitlement's grant role, so name an entitlement whose grant holds that role",
      },
    });
  });
});
