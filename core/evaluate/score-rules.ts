import type { ApprovalRule } from "../types.js";
import type { ReviewTally } from "./count-approvals.js";
import { stricter, type DecisionKind, type RuleResult } from "./decision.js";
import type { Identities } from "./identities.js";
import type { PreparedBase } from "./prepare-base.js";
import type { PullSnapshot } from "./pull-snapshot.js";
import { possibleApprovers, ruleAudience, scoreRule } from "./resolve-rule.js";

/** What scoring rules reads: the base (for CODEOWNERS), the pull request, who is who, and the review tally. */
export interface RuleContext {
  base: PreparedBase;
  pr: PullSnapshot;
  who: Identities;
  tally: ReviewTally;
}

/** Scores approval rules (all must hold) for changed `paths`; `label` prefixes the reasons. */
export function scoreRules(
  ctx: RuleContext,
  rules: ApprovalRule[],
  paths: string[],
  label: string,
  granteeId?: number,
): { decision: DecisionKind; reasons: string[]; rules: RuleResult[] } {
  const { who, tally } = ctx;
  let decision: DecisionKind = "approved";
  const reasons: string[] = [];
  const unlinked = ctx.pr.commits
    .filter((c) => c.author === null && c.authorId === undefined)
    .map((c) => c.sha);
  if (unlinked.length > 0) {
    // Commit authors may not approve; an author GitHub cannot name cannot be excluded, so nothing counts.
    decision = "denied";
    reasons.push(
      `${label}: commit ${unlinked.slice(0, 3).join(", ")} has an author GitHub does not link to an account, so commit authors cannot be excluded from approving; re-author the commit with a linked email`,
    );
  }
  const results: RuleResult[] = [];
  const blockers = new Set<number>();
  rules.forEach((rule, i) => {
    const audience = ruleAudience(rule, who, ctx.base.codeowners, paths);
    if (granteeId !== undefined) audience.ids.delete(granteeId);
    const scored = scoreRule(rule, i, audience, tally, who);
    results.push(scored);
    for (const id of tally.changesRequested) if (audience.ids.has(id)) blockers.add(id);
    const possible = possibleApprovers(audience, who);
    if (possible < rule.count) {
      decision = stricter(decision, "denied");
      reasons.push(
        `${label}: rule ${scored.name} needs ${rule.count} approval${rule.count === 1 ? "" : "s"} but only ${possible} eligible reviewer${possible === 1 ? "" : "s"} other than the author and commit authors exist`,
      );
    } else if (scored.have < scored.need) {
      decision = stricter(decision, "pending");
      const from = [...audience.teams.map((t) => `@${t}`), ...audience.users.map((u) => `@${u}`)].join(", ");
      reasons.push(
        `${label}: rule ${scored.name} needs ${scored.need} approval${scored.need === 1 ? "" : "s"} from ${from} on the head commit ${ctx.pr.head}; has ${scored.have}`,
      );
    }
  });
  if (blockers.size > 0) {
    decision = stricter(decision, "denied");
    const names = [...blockers].map((id) => who.loginOf(id)).sort();
    reasons.push(
      `${label}: changes requested by ${names.join(", ")}; a dismissal or their approval lifts it`,
    );
  }
  if (decision === "approved") reasons.push(`${label}: every approval rule holds on ${ctx.pr.head}`);
  return { decision, reasons, rules: results };
}
