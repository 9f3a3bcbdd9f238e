import { createHash } from "node:crypto";
import { GcpError } from "../../shared/gcp-error.js";

/** One binding of a service account's IAM policy. */
export interface SaBinding {
  role: string;
  members: string[];
}

/** A service account's IAM policy as `getIamPolicy` returns it. */
export interface SaPolicy {
  version: number;
  etag: string;
  bindings: SaBinding[];
}

const MEMBER =
  /^(user|group|serviceAccount|domain):\S+$|^principal(Set)?:\/\/iam\.googleapis\.com\/projects\/[^/]+\/locations\/global\/workloadIdentityPools\/[^/]+\/\S+$|^(allUsers|allAuthenticatedUsers)$/;

/** The role that lets a principal impersonate a service account (holds `iam.serviceAccounts.getAccessToken`). */
export const WORKLOAD_IDENTITY_USER = "roles/iam.workloadIdentityUser";
const TOKEN_ROLES = [WORKLOAD_IDENTITY_USER, "roles/iam.serviceAccountTokenCreator"];

function etagOf(revision: number, email: string): string {
  return createHash("sha256").update(`${email}#${revision}`).digest().subarray(0, 8).toString("base64");
}

/** Service accounts that exist and their IAM policies (no conditions: the sim refuses them rather than ignore them). */
export class ServiceAccountPolicies {
  private readonly accounts = new Map<string, { revision: number; bindings: SaBinding[] }>();

  /** Makes a service account exist (idempotent). */
  create(email: string): void {
    if (!this.accounts.has(email)) this.accounts.set(email, { revision: 1, bindings: [] });
  }

  /** Whether the service account exists. */
  has(email: string): boolean {
    return this.accounts.has(email);
  }

  /** The current policy; 404 when the account does not exist. */
  read(email: string): SaPolicy {
    const a = this.accounts.get(email);
    if (!a) throw new GcpError(404, `Service account projects/-/serviceAccounts/${email} not found.`);
    return { version: 1, etag: etagOf(a.revision, email), bindings: structuredClone(a.bindings) };
  }

  /** Replaces the policy (`setIamPolicy`); a stale etag gives 409 ABORTED. */
  write(email: string, policy: unknown): SaPolicy {
    const a = this.accounts.get(email);
    if (!a) throw new GcpError(404, `Service account projects/-/serviceAccounts/${email} not found.`);
    if (typeof policy !== "object" || policy === null) throw new GcpError(400, "policy must be an object.");
    const p = policy as { etag?: unknown; bindings?: unknown };
    if (p.etag !== undefined && p.etag !== etagOf(a.revision, email))
      throw new GcpError(
        409,
        "There were concurrent policy changes. Please retry the whole read-modify-write with exponential backoff.",
      );
    const bindings = p.bindings === undefined ? [] : p.bindings;
    if (!Array.isArray(bindings)) throw new GcpError(400, "policy.bindings must be a list.");
    const clean: SaBinding[] = bindings.map((b: unknown, i) => {
      const { role, members, condition } = (b ?? {}) as {
        role?: unknown;
        members?: unknown;
        condition?: unknown;
      };
      if (
        typeof role !== "string" ||
        !/^(roles\/|projects\/[^/]+\/roles\/|organizations\/[^/]+\/roles\/)/.test(role)
      )
        throw new GcpError(
          400,
          `policy.bindings[${i}].role must be a role name such as ${WORKLOAD_IDENTITY_USER}.`,
        );
      if (condition !== undefined)
        throw new GcpError(
          400,
          `policy.bindings[${i}].condition: the simulator does not evaluate conditions on service-account policies.`,
        );
      if (!Array.isArray(members) || members.length === 0)
        throw new GcpError(400, `policy.bindings[${i}].members must be a non-empty list.`);
      for (const m of members)
        if (typeof m !== "string" || !MEMBER.test(m))
          throw new GcpError(
            400,
            `Invalid member '${String(m)}' in policy.bindings[${i}]; accepted: user:, group:, serviceAccount:, domain:, principal://iam.googleapis.com/..., principalSet://iam.googleapis.com/....`,
          );
      return { role, members: [...new Set(members as string[])] };
    });
    a.revision++;
    a.bindings = clean.filter((b) => b.members.length > 0);
    return this.read(email);
  }

  /** Whether any of `members` holds a role granting `iam.serviceAccounts.getAccessToken` on the account. */
  canMintTokens(email: string, members: readonly string[]): boolean {
    const a = this.accounts.get(email);
    if (!a) return false;
    return a.bindings.some((b) => TOKEN_ROLES.includes(b.role) && b.members.some((m) => members.includes(m)));
  }
}
