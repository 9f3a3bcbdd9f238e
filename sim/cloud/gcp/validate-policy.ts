import { GcpError } from "../../shared/gcp-error.js";
import type { GcpBinding, GcpCondition } from "./policy-types.js";
import { parseTimeCondition } from "./time-condition.js";

// Limits and rules: https://cloud.google.com/iam/quotas#limits and
// https://cloud.google.com/iam/docs/conditions-overview#limitations
const MAX_PRINCIPALS = 1500;
const MAX_CONDITIONAL_PER_ROLE_MEMBER = 20;
const BASIC_ROLES = new Set(["roles/owner", "roles/editor", "roles/viewer"]);
const PUBLIC_MEMBERS = new Set(["allUsers", "allAuthenticatedUsers"]);
const ROLE = /^(roles\/[A-Za-z0-9_.]+|(projects|organizations)\/[^/]+\/roles\/[A-Za-z0-9_.]+)$/;
const MEMBER =
  /^(allUsers|allAuthenticatedUsers|(user|serviceAccount|group|domain|deleted:user|deleted:serviceAccount|deleted:group|projectOwner|projectEditor|projectViewer):.+|principal(Set)?:\/\/.+)$/;

/** A policy write the simulator accepted: the bindings to store and the version sent. */
export interface AcceptedWrite {
  version: number;
  bindings: GcpBinding[];
}

function bad(message: string): never {
  throw new GcpError(400, message);
}

function readCondition(raw: unknown, where: string): GcpCondition {
  if (typeof raw !== "object" || raw === null) bad(`${where}.condition must be an object`);
  const c = raw as Record<string, unknown>;
  const title = c.title;
  const expression = c.expression;
  if (typeof title !== "string" || title.trim() === "") bad(`${where}.condition.title is required`);
  if (title.length > 100) bad(`${where}.condition.title is longer than 100 characters`);
  if (c.description !== undefined && typeof c.description !== "string")
    bad(`${where}.condition.description must be a string`);
  if (typeof c.description === "string" && c.description.length > 256)
    bad(`${where}.condition.description is longer than 256 characters`);
  if (typeof expression !== "string" || expression.trim() === "")
    bad(`${where}.condition.expression is required`);
  const parsed = parseTimeCondition(expression);
  if (typeof parsed === "string") bad(`${where}.condition.expression: ${parsed}`);
  return {
    title,
    ...(typeof c.description === "string" && c.description !== "" ? { description: c.description } : {}),
    expression,
  };
}

function readBinding(raw: unknown, i: number): GcpBinding {
  const where = `policy.bindings[${i}]`;
  if (typeof raw !== "object" || raw === null) bad(`${where} must be an object`);
  const b = raw as Record<string, unknown>;
  if (typeof b.role !== "string" || !ROLE.test(b.role))
    bad(`${where}.role "${String(b.role)}" is not a valid role`);
  if (b.role.includes("_withcond_"))
    bad(
      `${where}.role "${b.role}" is a version 1 placeholder for a conditional binding; read and write version 3`,
    );
  if (!Array.isArray(b.members) || b.members.length === 0) bad(`${where}.members must be a non-empty list`);
  for (const m of b.members)
    if (typeof m !== "string" || !MEMBER.test(m)) bad(`${where}: invalid principal "${String(m)}"`);
  const members = [...new Set(b.members as string[])];
  if (b.condition === undefined || b.condition === null) return { role: b.role, members };
  const condition = readCondition(b.condition, where);
  if (BASIC_ROLES.has(b.role))
    bad(`${where}: conditions are not allowed on basic roles (roles/owner, roles/editor, roles/viewer)`);
  const pub = members.find((m) => PUBLIC_MEMBERS.has(m));
  if (pub) bad(`${where}: conditions are not allowed for ${pub}`);
  return { role: b.role, members, condition };
}

function checkLimits(bindings: GcpBinding[]): void {
  const principals = bindings.reduce((n, b) => n + b.members.length, 0);
  if (principals > MAX_PRINCIPALS)
    bad(
      `The number of principals in the policy (${principals}) is larger than the maximum allowed size ${MAX_PRINCIPALS}`,
    );
  const conditional = new Map<string, Set<string>>();
  for (const b of bindings) {
    if (!b.condition) continue;
    for (const m of b.members) {
      const key = `${b.role} ${m}`;
      const set = conditional.get(key) ?? new Set<string>();
      set.add(JSON.stringify(b.condition));
      conditional.set(key, set);
      if (set.size > MAX_CONDITIONAL_PER_ROLE_MEMBER)
        bad(
          `More than ${MAX_CONDITIONAL_PER_ROLE_MEMBER} conditional role bindings for role ${b.role} and principal ${m}`,
        );
    }
  }
}

/**
 * Validates a setIamPolicy body against the stored policy. Version rules:
 * https://cloud.google.com/iam/docs/policies#versions — conditions need version 3; with an etag, a
 * version 1 write to a policy holding conditions is refused; without one it overwrites them (blind write).
 */
export function validatePolicyWrite(policy: unknown, storedHasConditions: boolean): AcceptedWrite {
  if (typeof policy !== "object" || policy === null) bad("policy is required");
  const p = policy as Record<string, unknown>;
  const version = p.version === undefined ? 0 : p.version;
  if (version !== 0 && version !== 1 && version !== 3)
    bad(`Invalid policy version ${String(version)}; use 0, 1 or 3`);
  if (p.bindings !== undefined && !Array.isArray(p.bindings)) bad("policy.bindings must be a list");
  const bindings = ((p.bindings as unknown[] | undefined) ?? []).map(readBinding);
  const hasConditions = bindings.some((b) => b.condition);
  if (hasConditions && version !== 3)
    bad(`Policy version ${version} cannot contain conditional role bindings; set policy.version to 3`);
  if (storedHasConditions && version !== 3 && typeof p.etag === "string" && p.etag !== "")
    bad(`The policy contains conditional role bindings; set policy.version to 3 to modify it`);
  checkLimits(bindings);
  return { version, bindings };
}
