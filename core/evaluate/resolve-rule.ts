import { ownersOf, type Codeowners } from "../codeowners.js";
import { ownerKind } from "../codeowners/owner-kind.js";
import type { FileError } from "../file-error.js";
import type { ApprovalRule } from "../types.js";
import type { RuleResult } from "./decision.js";
import type { Identities } from "./identities.js";
import type { ReviewTally } from "./count-approvals.js";

/** The people who may satisfy a rule, as ids, plus the teams and users to request reviews from. */
export interface RuleAudience {
  ids: Set<number>;
  teams: string[];
  users: string[];
  /** The CODEOWNERS lines GitHub skips, when the rule reads code owners and some were skipped. */
  codeowners?: { path: string; skipped: FileError[] };
}

/** Resolves `from` (teams, users, code owners of `paths` in the base CODEOWNERS) to user ids. */
export function ruleAudience(
  rule: ApprovalRule,
  who: Identities,
  codeowners: Codeowners,
  paths: string[],
): RuleAudience {
  const teams = new Set(rule.from.teams ?? []);
  const users = new Set(rule.from.users ?? []);
  if (rule.from.codeowners) {
    for (const p of paths) {
      for (const owner of ownersOf(codeowners.rules, p)) {
        const kind = ownerKind(owner);
        if (kind === "team") teams.add(owner.slice(1));
        else if (kind === "user") users.add(owner.slice(1));
        // email owners cannot be matched to a GitHub id
      }
    }
  }
  const ids = new Set<number>();
  for (const t of teams) for (const id of who.teamIds(t)) ids.add(id);
  for (const u of users) {
    const id = who.idOf(u);
    if (id !== undefined) ids.add(id);
  }
  const skipped =
    rule.from.codeowners && codeowners.path && codeowners.skipped.length > 0
      ? { codeowners: { path: codeowners.path, skipped: codeowners.skipped } }
      : {};
  return { ids, teams: [...teams], users: [...users], ...skipped };
}

/** Scores one rule against the tally. */
export function scoreRule(
  rule: ApprovalRule,
  index: number,
  audience: RuleAudience,
  tally: ReviewTally,
  who: Identities,
): RuleResult {
  const approvers = [...tally.approvals].filter((id) => audience.ids.has(id));
  return {
    name: rule.name ?? `rule ${index + 1}`,
    need: rule.count,
    have: approvers.length,
    approvers: approvers.map((id) => who.loginOf(id)).sort(),
    approverIds: approvers.sort((a, b) => a - b),
    candidates: {
      teams: audience.teams,
      users: audience.users.filter((u) => !who.excluded.has(who.idOf(u) ?? -1)),
    },
    ...(audience.codeowners ? { codeowners: audience.codeowners } : {}),
  };
}

/** How many people could ever satisfy the rule: its audience less the author, commit authors and bots. */
export function possibleApprovers(audience: RuleAudience, who: Identities): number {
  let n = 0;
  for (const id of audience.ids) if (!who.excluded.has(id) && !who.isBot(id, who.loginOf(id))) n++;
  return n;
}
