import { compileLinear, MAX_PROGRAM, PatternError, type LinearRegex } from "./linear-regex.js";
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

/** Why a ticket pattern is refused: `policy.ticket-pattern` (not supported) or `ticket.pattern-too-large`. */
export interface PatternRefusal {
  code: "policy.ticket-pattern" | "ticket.pattern-too-large";
  message: string;
}

/** How much a pattern cache may hold: entries, and compiled program steps in all. */
export interface PatternCacheBounds {
  entries: number;
  steps: number;
}

/** Default bounds: a few hundred patterns, and about 10 MB of compiled programs. */
export const PATTERN_CACHE_BOUNDS: PatternCacheBounds = { entries: 256, steps: 100 * MAX_PROGRAM };

/**
 * Compiled ticket patterns by source, least recently used evicted beyond its bounds. Policies are
 * compiled for every pull request that changes them (head policies are attacker-written), so
 * whoever keeps one across calls keeps it bounded; by default each policy load has its own.
 */
export class TicketPatternCache {
  private readonly map = new Map<string, LinearRegex | PatternRefusal>();
  private steps = 0;

  constructor(private readonly bounds: PatternCacheBounds = PATTERN_CACHE_BOUNDS) {}

  /** The compiled pattern (or refusal), from the cache or compiled now. */
  compile(pattern: string): LinearRegex | PatternRefusal {
    const hit = this.map.get(pattern);
    if (hit) {
      this.map.delete(pattern);
      this.map.set(pattern, hit);
      return hit;
    }
    const out = compileTicketPattern(pattern);
    this.map.set(pattern, out);
    this.steps += weight(pattern, out);
    while (this.map.size > this.bounds.entries || this.steps > this.bounds.steps) {
      const [oldest, value] = this.map.entries().next().value as [string, LinearRegex | PatternRefusal];
      this.map.delete(oldest);
      this.steps -= weight(oldest, value);
    }
    return out;
  }

  /** How many patterns and compiled steps it holds now. */
  size(): { entries: number; steps: number } {
    return { entries: this.map.size, steps: this.steps };
  }
}

/** A cache entry's weight in steps: its program, and its source (a step costs more than a character). */
function weight(pattern: string, out: LinearRegex | PatternRefusal): number {
  return ("size" in out ? out.size : 0) + Math.ceil(pattern.length / 8);
}

/** Is this a refusal rather than a compiled pattern? */
export function isRefusal(p: LinearRegex | PatternRefusal): p is PatternRefusal {
  return "code" in p;
}

/** Compiles a ticket pattern for linear-time matching (no catastrophic backtracking), or says why not. */
export function compileTicketPattern(pattern: string): LinearRegex | PatternRefusal {
  if (pattern.length > MAX_TICKET_PATTERN) {
    return {
      code: "policy.ticket-pattern",
      message: `the pattern is ${pattern.length} characters; at most ${MAX_TICKET_PATTERN} are accepted`,
    };
  }
  try {
    return compileLinear(pattern);
  } catch (e) {
    if (!(e instanceof PatternError)) throw e;
    if (e.kind === "too-large") return { code: "ticket.pattern-too-large", message: e.message };
    return {
      code: "policy.ticket-pattern",
      message: `the pattern does not compile: ${e.message} (supported: literals, ., classes, groups, |, * + ? {n,m}, ^ $; no backreferences or lookaround)`,
    };
  }
}

function compileEntitlement(e: Entitlement, patterns: TicketPatternCache): CompiledEntitlement {
  const t = e.require?.ticket;
  const compiled = typeof t === "string" ? patterns.compile(t) : undefined;
  return {
    source: e,
    maxMinutes: parseDuration(e.maxDuration) ?? 0,
    breakGlassMinutes: e.breakGlass ? (parseDuration(e.breakGlass.maxDuration) ?? 0) : undefined,
    ticket: compiled ? (isRefusal(compiled) ? undefined : compiled) : t === true ? "any" : undefined,
    eligibleUsers: new Set((e.eligible.users ?? []).map(lower)),
    eligibleTeams: new Set((e.eligible.teams ?? []).map(lower)),
  };
}

/**
 * Indexes a merged policy; callers pass a policy that has passed its checks. Ticket patterns
 * compile through `patterns` (a fresh cache, unless the caller keeps one across policies).
 */
export function compilePolicy(policy: Policy, patterns = new TicketPatternCache()): CompiledPolicy {
  const entitlements = new Map<string, CompiledEntitlement>();
  for (const e of policy.entitlements)
    if (!entitlements.has(e.name)) entitlements.set(e.name, compileEntitlement(e, patterns));
  const principalOwners = new Map<string, Set<string>>();
  for (const [login, map] of Object.entries(policy.principals)) {
    for (const [key, p] of Object.entries(map)) {
      // A Slack member id addresses messages; it is no cloud principal, so a request cannot name it.
      if (typeof p !== "string" || key === "slack") continue;
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
