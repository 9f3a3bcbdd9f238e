import { EMBEDDED_ROLES } from "../../../core/activity/role-catalogue.js";
import { proposeRole } from "../../../core/activity/propose-role.js";
import type { RoleDefinition } from "../../../core/activity/role-definition.js";
import { roleAllows } from "../../../core/activity/role-definition.js";

const gcp = (name: string, permissions: string[]): RoleDefinition => ({ provider: "gcp", name, permissions });
const admin = gcp("roles/storage.admin", [
  "storage.objects.get",
  "storage.objects.list",
  "storage.objects.delete",
  "storage.buckets.delete",
]);
const viewer = gcp("roles/storage.objectViewer", ["storage.objects.get", "storage.objects.list"]);
const subject = { kind: "workload" as const, workload: "api-deploy" };
const base = { subject, role: admin, windows: 3, idleWindows: 0, candidates: [admin, viewer] };

describe("proposeRole", () => {
  it("names the smallest candidate covering every permission used", () => {
    const p = proposeRole({ ...base, used: ["storage.objects.get", "storage.objects.list"] });
    expect(p.summary).toBe("used 2 of 4 permissions of roles/storage.admin over 3 windows");
    expect(p.change).toMatchObject({ kind: "role", role: "roles/storage.objectViewer" });
  });

  it("invariant: never proposes a role that grants something the current role does not", () => {
    const wider = gcp("roles/other", ["storage.objects.get", "compute.instances.delete"]);
    const p = proposeRole({ ...base, used: ["storage.objects.get"], candidates: [wider] });
    expect(p.change.kind).toBe("custom");
  });

  it("proposes a custom role of exactly what was used when no candidate fits", () => {
    const p = proposeRole({
      ...base,
      used: ["storage.objects.get", "storage.objects.delete", "not.granted"],
      candidates: [viewer],
    });
    expect(p.used).toEqual(["storage.objects.delete", "storage.objects.get"]);
    expect(p.change).toMatchObject({
      kind: "custom",
      definition: { permissions: ["storage.objects.delete", "storage.objects.get"] },
    });
  });

  it("flags a role nobody used as unused, and keeps a role whose every permission was used", () => {
    expect(proposeRole({ ...base, used: [], idleWindows: 3 }).change.kind).toBe("unused");
    expect(proposeRole({ ...base, role: viewer, used: viewer.permissions }).change.kind).toBe("keep");
  });

  it("reads Azure actions with wildcards and notActions, case-insensitively", () => {
    const contributor: RoleDefinition = {
      provider: "azure",
      name: "Contributor",
      permissions: ["*"],
      notPermissions: ["Microsoft.Authorization/*/Write"],
    };
    expect(roleAllows(contributor, "microsoft.storage/storageAccounts/read")).toBe(true);
    expect(roleAllows(contributor, "Microsoft.Authorization/roleAssignments/write")).toBe(false);
    const p = proposeRole({
      subject,
      role: contributor,
      used: ["Microsoft.Storage/storageAccounts/blobServices/containers/read"],
      windows: 1,
      idleWindows: 0,
      candidates: EMBEDDED_ROLES.filter((r) => r.provider === "azure"),
    });
    expect(p.summary).toMatch(/^used 1 of Contributor's wildcard actions/);
    expect(p.change).toMatchObject({ kind: "role" });
  });
});
