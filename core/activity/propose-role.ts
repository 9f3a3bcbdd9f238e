import type { ActivitySubject } from "./activity-window.js";
import { roleAllows, roleBreadth, roleWithin, type RoleDefinition } from "./role-definition.js";

/** A custom role holding exactly the permissions that were used (the body of GCP roles.create, Azure role definition). */
export interface CustomRoleProposal {
  title: string;
  description: string;
  permissions: string[];
}

/** What to grant instead of a role, from what was used. */
export type RoleChange =
  | { kind: "keep"; reason: string }
  | { kind: "unused"; reason: string }
  | { kind: "role"; role: string; permissions: number; reason: string }
  | { kind: "custom"; definition: CustomRoleProposal; reason: string };

/** A least-privilege proposal for one role of one entitlement or workload. */
export interface RightsizeProposal {
  subject: ActivitySubject;
  provider: "gcp" | "azure";
  role: string;
  /** How many permissions the role grants (undefined when Azure wildcards make it uncountable). */
  granted?: number;
  /** Permissions used that this role grants, sorted. */
  used: string[];
  windows: number;
  /** Windows with no activity at all: standing access nobody used. */
  idleWindows: number;
  /** `used 3 of 412 permissions`. */
  summary: string;
  change: RoleChange;
}

/** What `proposeRole` needs: the role held, what was used over which windows, and candidate roles. */
export interface ProposeRoleInput {
  subject: ActivitySubject;
  role: RoleDefinition;
  /** Permissions exercised (allowed calls) across the windows. */
  used: readonly string[];
  windows: number;
  idleWindows: number;
  candidates: readonly RoleDefinition[];
}

function customTitle(subject: ActivitySubject): string {
  const name = subject.kind === "grant" ? (subject.entitlement ?? subject.request) : subject.workload;
  return `jitops ${name}`;
}

/**
 * The smallest candidate role that allows every permission used and nothing the current role does
 * not, else a custom role of exactly those permissions. Nothing used in any window proposes no role:
 * the grant is flagged as standing access nobody used (removing it is a policy owner's call).
 */
export function proposeRole(input: ProposeRoleInput): RightsizeProposal {
  const { role, subject } = input;
  const used = [...new Set(input.used.filter((p) => roleAllows(role, p)))].sort();
  const countable = role.permissions.every((p) => !p.includes("*"));
  const granted = countable ? role.permissions.length : undefined;
  const of = granted === undefined ? `${role.name}'s wildcard actions` : `${granted}`;
  const summary = `used ${used.length} of ${of} permission${granted === 1 ? "" : "s"} of ${role.name} over ${input.windows} window${input.windows === 1 ? "" : "s"}`;
  const base = {
    subject,
    provider: role.provider,
    role: role.name,
    ...(granted !== undefined ? { granted } : {}),
    used,
    windows: input.windows,
    idleWindows: input.idleWindows,
    summary,
  };
  if (used.length === 0)
    return {
      ...base,
      change: {
        kind: "unused",
        reason:
          input.windows === 0
            ? `no grant window of ${role.name} to learn from`
            : `no permission of ${role.name} was used in ${input.windows} window${input.windows === 1 ? "" : "s"}: standing access nobody used`,
      },
    };
  const breadth = roleBreadth(role);
  const covering = input.candidates
    .filter(
      (c) =>
        c.provider === role.provider &&
        c.name !== role.name &&
        roleBreadth(c) < breadth &&
        used.every((p) => roleAllows(c, p)) &&
        roleWithin(c, role),
    )
    .sort((a, b) => roleBreadth(a) - roleBreadth(b) || a.name.localeCompare(b.name));
  const best = covering[0];
  if (best)
    return {
      ...base,
      change: {
        kind: "role",
        role: best.name,
        permissions: best.permissions.length,
        reason: `${best.name} allows every permission used with ${best.permissions.length} permission${best.permissions.length === 1 ? "" : "s"}`,
      },
    };
  if (granted !== undefined && used.length === granted)
    return { ...base, change: { kind: "keep", reason: `every permission of ${role.name} was used` } };
  return {
    ...base,
    change: {
      kind: "custom",
      definition: {
        title: customTitle(subject),
        description: `The ${used.length} permissions of ${role.name} used, proposed by jitops rightsize`,
        permissions: used,
      },
      reason: `no smaller known role allows every permission used; a custom role of exactly those ${used.length}`,
    },
  };
}
