import { createHash, randomBytes } from "node:crypto";
import { GcpError } from "../../shared/gcp-error.js";
import type { GcpBinding, GcpPolicy } from "./policy-types.js";
import { conditionHolds, parseTimeCondition } from "./time-condition.js";
import { validatePolicyWrite } from "./validate-policy.js";

const RESOURCE = /^(projects|folders|organizations)\/[^/]+$/;
/** Etag of a policy never written (what Google returns for an empty policy). */
const EMPTY_ETAG = "ACAB";
const MASK_FIELDS = new Set(["bindings", "etag", "auditConfigs", "version"]);

interface StoredPolicy {
  bindings: GcpBinding[];
  etag: string;
  parent?: string;
}

/** True for `projects/…`, `folders/…` and `organizations/…`. */
export function isGcpResource(resource: string): boolean {
  return RESOURCE.test(resource);
}

/** Placeholder role of a conditional binding in a version 1 read (https://cloud.google.com/iam/docs/troubleshooting-withcond). */
function withcondRole(b: GcpBinding): string {
  const hash = createHash("sha256")
    .update(JSON.stringify([b.role, b.condition]))
    .digest("hex")
    .slice(0, 20);
  return `${b.role}_withcond_${hash}`;
}

/** IAM policies of GCP resources: reads formatted per requested version, etag-checked writes, access evaluation. */
export class GcpIamPolicies {
  private readonly policies = new Map<string, StoredPolicy>();
  private writes = 0;

  /** Makes a resource exist (its policy starts empty); `parent` makes its bindings inherited. */
  createResource(resource: string, parent?: string): void {
    if (!isGcpResource(resource))
      throw new Error(`sim: "${resource}" is not projects/…, folders/… or organizations/…`);
    const existing = this.policies.get(resource);
    if (existing) {
      if (parent) existing.parent = parent;
      return;
    }
    this.policies.set(resource, { bindings: [], etag: EMPTY_ETAG, ...(parent ? { parent } : {}) });
  }

  /** The stored policy or a 403, as Google answers for resources that do not exist or are not visible. */
  private stored(resource: string): StoredPolicy {
    const p = this.policies.get(resource);
    if (!p)
      throw new GcpError(
        403,
        `The caller does not have permission, or the resource "${resource}" does not exist.`,
      );
    return p;
  }

  private nextEtag(): string {
    const buf = Buffer.alloc(8);
    buf.writeUInt32BE(++this.writes, 0);
    randomBytes(4).copy(buf, 4);
    return buf.toString("base64");
  }

  /** The policy as getIamPolicy returns it for `requestedVersion` (conditions only in version 3). */
  read(resource: string, requestedVersion = 0): GcpPolicy {
    if (![0, 1, 3].includes(requestedVersion))
      throw new GcpError(400, `Invalid requestedPolicyVersion ${requestedVersion}; use 0, 1 or 3`);
    return format(this.stored(resource), requestedVersion);
  }

  /** Applies a setIamPolicy body: etag check, validation, update mask; returns the stored policy. */
  write(resource: string, body: { policy?: unknown; updateMask?: unknown }): GcpPolicy {
    const stored = this.stored(resource);
    const mask = parseMask(body.updateMask);
    const policy = body.policy as Record<string, unknown> | undefined;
    const etag = policy && typeof policy === "object" ? policy.etag : undefined;
    if (typeof etag === "string" && etag !== "" && etag !== stored.etag)
      throw new GcpError(
        409,
        "There were concurrent policy changes. Please retry the whole read-modify-write with exponential backoff.",
      );
    const hasConditions = stored.bindings.some((b) => b.condition);
    const accepted = validatePolicyWrite(body.policy, hasConditions);
    if (mask.has("bindings")) stored.bindings = accepted.bindings;
    stored.etag = this.nextEtag();
    return format(stored, 3);
  }

  /** Replaces a policy without any check (seeding); creates the resource when needed. */
  seed(resource: string, bindings: GcpBinding[]): GcpPolicy {
    this.createResource(resource);
    const stored = this.stored(resource);
    stored.bindings = structuredClone(bindings);
    stored.etag = this.nextEtag();
    return format(stored, 3);
  }

  /** Whether `member` holds `role` on `resource` (or an ancestor) at `at`, conditions evaluated. */
  hasAccess(resource: string, member: string, role: string, at: Date): boolean {
    const seen = new Set<string>();
    for (let r: string | undefined = resource; r && !seen.has(r); r = this.policies.get(r)?.parent) {
      seen.add(r);
      const p = this.policies.get(r);
      if (!p) return false;
      for (const b of p.bindings) {
        if (b.role !== role || !b.members.includes(member)) continue;
        if (!b.condition) return true;
        const c = parseTimeCondition(b.condition.expression);
        if (typeof c !== "string" && conditionHolds(c, at)) return true;
      }
    }
    return false;
  }

  /** Resource names known to the simulator. */
  resources(): string[] {
    return [...this.policies.keys()];
  }
}

function parseMask(raw: unknown): Set<string> {
  if (raw === undefined || raw === null || raw === "") return new Set(["bindings", "etag"]);
  if (typeof raw !== "string") throw new GcpError(400, "updateMask must be a comma-separated string");
  const fields = raw.split(",").map((f) => f.trim());
  for (const f of fields)
    if (!MASK_FIELDS.has(f))
      throw new GcpError(400, `Invalid updateMask field "${f}"; accepted: ${[...MASK_FIELDS].join(", ")}`);
  return new Set(fields);
}

function format(stored: StoredPolicy, requestedVersion: number): GcpPolicy {
  const conditional = stored.bindings.some((b) => b.condition);
  const v3 = conditional && requestedVersion === 3;
  const bindings = stored.bindings.map((b): GcpBinding => {
    if (!b.condition) return { role: b.role, members: [...b.members] };
    if (v3) return { role: b.role, members: [...b.members], condition: { ...b.condition } };
    return { role: withcondRole(b), members: [...b.members] };
  });
  return { version: v3 ? 3 : 1, etag: stored.etag, bindings };
}
