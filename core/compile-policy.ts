import { compileLinear, type LinearRegex } from "./linear-regex.js";
import { parseDuration } from "./duration.js";
import type { Entitlement, Policy } from "./types.js";

/** Longest accepted ticket pattern, in characters. */
export const MAX_TICKET_PATTERN = 256;

/** An entitlement with its limits parsed and its eligibility indexed. */
export interface CompiledEntitlement {
  source: Entitlement;
  maxMinutes: number;
  breakGlassMinutes: number | undefined;
  ticket: LinearRegex | "any" | undefined;
  eligibleUsers: Set<string>;
  eligibleTeams: Set<string>;
}

/** A policy compiled once into indexed structures, so lookups cost the same at any policy size. */
export interface CompiledPolicy {
  source: Policy;
  entitlements: Map<string, CompiledEntitlement>;
  /** Cloud principal (any provider) -> the GitHub logins it is mapped to. */
  principalOwners: Map<string, Set<string>>;
}

const compiled = new Map<string, LinearRegex | string>();

/** Compiles a ticket pattern for linear-time matching (no catastrophic backtracking); a string on error. */
export function compileTicketPattern(pattern: string): LinearRegex | string {
  if (pattern.length > MAX_TICKET_PATTERN) {
    return `the pattern is ${pattern.length} characters; at most ${MAX_TICKET_PATTERN} are accepted`;
  }
  const hit = compiled.get(pattern);
  if (hit) return hit;
  let out: LinearRegex | string;
  try {
    out = compileLinear(pattern);
  } catch (e) {
    out = `the pattern does not compile: ${(e as Error).message} (supported: literals, ., classes, groups, |, * + ? {n,m}, ^ $; no backreferences or lookaround)`;
  }
  compiled.set(pattern, out);
  return out;
}

function compileEntitlement(e: Entitlement): CompiledEntitlement {
  const t = e.require?.ticket;
  const ticket = typeof t === "string" ? compileTicketPattern(t) : t === true ? "any" : undefined;
  return {
    source: e,
    maxMinutes: parseDuration(e.maxDuration) ?? 0,
    breakGlassMinutes: e.breakGlass ? (parseDuration(e.breakGlass.maxDuration) ?? 0) : undefined,
    ticket: typeof ticket === "string" && ticket !== "any" ? undefined : ticket,
    eligibleUsers: new Set((e.eligible.users ?? []).map(lower)),
    eligibleTeams: new Set((e.eligible.teams ?? []).map(lower)),
  };
}

/** Indexes a merged policy; callers pass a policy that has passed its checks. */
export function compilePolicy(policy: Policy): CompiledPolicy {
  const entitlements = new Map<string, CompiledEntitlement>();
  for (const e of policy.entitlements)
    if (!entitlements.has(e.name)) entitlements.set(e.name, compileEntitlement(e));
  const principalOwners = new Map<string, Set<string>>();
  for (const [login, map] of Object.entries(policy.principals)) {
    for (const p of Object.values(map)) {
      if (typeof p !== "string") continue;
      const owners = principalOwners.get(p) ?? new Set<string>();
      owners.add(login);
      principalOwners.set(p, owners);
    }
  }
  return { source: policy, entitlements, principalOwners };
}

/** Is `login`, a member of `teams`, eligible to request the entitlement? Cost independent of policy size. */
export function isEligible(e: CompiledEntitlement, login: string, teams: Iterable<string>): boolean {
  if (e.eligibleUsers.has(lower(login))) return true;
  for (const t of teams) if (e.eligibleTeams.has(lower(t))) return true;
  return false;
}

/** GitHub logins and team slugs compare case-insensitively. */
export function lower(s: string): string {
  return s.toLowerCase();
}
