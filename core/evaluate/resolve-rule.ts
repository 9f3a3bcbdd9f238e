import { ownersOf, type CodeownersRule } from "../codeowners.js";
import type { ApprovalRule } from "../types.js";
import type { RuleResult } from "./decision.js";
import type { Identities } from "./identities.js";
import type { ReviewTally } from "./count-approvals.js";

/** The people who may satisfy a rule, as ids, plus the teams and users to request reviews from. */
export interface RuleAudience {
  ids: Set<number>;
  teams: string[];
  users: string[];
}

/** Resolves `from` (teams, users, code owners of `paths` in the base CODEOWNERS) to user ids. */
export function ruleAudience(
  rule: ApprovalRule,
  who: Identities,
  codeowners: CodeownersRule[],
  paths: string[],
): RuleAudience {
  const teams = new Set(rule.from.teams ?? []);
  const users = new Set(rule.from.users ?? []);
  if (rule.from.codeowners) {
    for (const p of paths) {
      for (const owner of ownersOf(codeowners, p)) {
        if (!owner.startsWith("@")) continue; // email owners cannot be matched to a GitHub id
        const name = owner.slice(1);
        (name.includes("/") ? teams : users).add(name);
      }
    }
  }
  const ids = new Set<number>();
  for (const t of teams) for (const id of who.teamIds(t)) ids.add(id);
  for (const u of users) {
    const id = who.idOf(u);
    if (id !== undefined) ids.add(id);
  }
  return { ids, teams: [...teams], users: [...users] };
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
  };
}

/** How many people could ever satisfy the rule: its audience less the author, commit authors and bots. */
export function possibleApprovers(audience: RuleAudience, who: Identities): number {
  let n = 0;
  for (const id of audience.ids) if (!who.excluded.has(id) && !who.isBot(id, who.loginOf(id))) n++;
  return n;
}
