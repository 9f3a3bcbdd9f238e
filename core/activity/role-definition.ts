/**
 * A role as the least-privilege comparison sees it: GCP `includedPermissions`, or Azure `actions`
 * (and `dataActions`) less `notActions`, where Azure patterns may hold `*`.
 */
export interface RoleDefinition {
  provider: "gcp" | "azure";
  /** `roles/storage.objectViewer`, or an Azure role name (`Reader`). */
  name: string;
  title?: string;
  permissions: string[];
  notPermissions?: string[];
}

function glob(pattern: string): RegExp {
  const body = pattern
    .split("*")
    .map((part) => part.replace(/[.+?^${}()|[\]\\/]/g, "\\$&"))
    .join(".*");
  return new RegExp(`^${body}$`, "i");
}

/** Whether a role allows one permission (Azure: case-insensitive, `*` wildcards, `notActions` subtracted). */
export function roleAllows(role: RoleDefinition, permission: string): boolean {
  if (role.provider === "gcp") return role.permissions.includes(permission);
  return (
    role.permissions.some((p) => glob(p).test(permission)) &&
    !(role.notPermissions ?? []).some((p) => glob(p).test(permission))
  );
}

/** How broad a role is, for ranking: its permission count, a wildcard counting as a thousand. */
export function roleBreadth(role: RoleDefinition): number {
  return role.permissions.reduce((n, p) => n + (p.includes("*") ? 1000 : 1), 0);
}

/** Whether `narrow` grants nothing `wide` does not (Azure wildcards must appear in `wide` as they are). */
export function roleWithin(narrow: RoleDefinition, wide: RoleDefinition): boolean {
  return narrow.permissions.every((p) =>
    p.includes("*") ? wide.permissions.some((w) => w.toLowerCase() === p.toLowerCase()) : roleAllows(wide, p),
  );
}
