import type { ImpactKind } from "./impact-kind.js";
import type { ReplayOutcome, RuleNeed } from "./replay-outcome.js";

/** What changed for one request between the base and the head policy: kinds, and a sentence each. */
export interface OutcomeDiff {
  kinds: ImpactKind[];
  why: string[];
}

const plural = (n: number, what: string) => `${n} ${what}${n === 1 ? "" : "s"}`;
const total = (rules: RuleNeed[] | "none") => (rules === "none" ? 0 : rules.reduce((n, r) => n + r.count, 0));
const list = (from: string[]) => from.join(", ") || "no one";

/**
 * Compares a request's outcome under the base policy with its outcome under the head policy, for
 * `requester` (a login, or "" when unknown). Empty when nothing a reader would care about changed.
 */
export function diffOutcomes(before: ReplayOutcome, after: ReplayOutcome, requester: string): OutcomeDiff {
  const kinds = new Set<ImpactKind>();
  const why: string[] = [];
  const add = (kind: ImpactKind, sentence: string) => {
    kinds.add(kind);
    if (!why.includes(sentence)) why.push(sentence);
  };
  const who = requester || "the requester";
  const ent = after.entitlement ?? before.entitlement ?? "its entitlement";

  const had = new Set(before.errors.map((e) => e.code));
  for (const e of after.errors) {
    if (had.has(e.code)) continue;
    if (e.code === "entitlement.unknown")
      add("entitlement-removed", `entitlement ${ent} is no longer declared`);
    else if (e.code === "duration.exceeds-max")
      add(
        "max-duration-lowered",
        `${e.message}${before.maxDuration && before.maxDuration !== after.maxDuration ? ` (was ${before.maxDuration})` : ""}`,
      );
    else if (e.code === "breakglass.not-allowed")
      add("break-glass-removed", `${ent} no longer allows break-glass`);
    else if (e.code === "justification.required" || e.code === "ticket.invalid")
      add("requirement-added", e.message);
    else add("newly-invalid", `${e.code}: ${e.message}`);
  }
  if (after.decision === "invalid" && before.decision !== "invalid") kinds.add("newly-invalid");

  if (before.decision !== "invalid" && after.decision !== "invalid") {
    if (before.eligible === "yes" && after.eligible === "no")
      add(
        "eligibility-removed",
        `${who} is no longer eligible for ${ent} (eligible: ${list(before.eligibleFrom)} → ${list(after.eligibleFrom)})`,
      );
    else if (before.eligible === "no" && after.eligible === "yes")
      add("eligibility-added", `${who} becomes eligible for ${ent}`);
    else if (
      (before.eligible === "unknown" || after.eligible === "unknown") &&
      list(before.eligibleFrom) !== list(after.eligibleFrom)
    )
      add(
        "eligibility-changed",
        `eligible for ${ent}: ${list(before.eligibleFrom)} → ${list(after.eligibleFrom)} (team membership not known here, so whether ${who} still is cannot be told)`,
      );
    diffRules(before.rules, after.rules, add);
  }

  if (before.decision !== after.decision) {
    if (after.decision === "denied") kinds.add("newly-denied");
    else if (after.decision === "pending" && before.decision === "approved") kinds.add("no-longer-approved");
    else if (after.decision === "approved" && before.decision === "pending") kinds.add("now-approved");
    else if (before.decision === "denied" || before.decision === "invalid") kinds.add("no-longer-blocked");
    // Nothing above explains it (a principal no longer mapped, a rule no one can satisfy): the decision's own reasons do.
    if (why.length === 0) {
      const fresh = after.reasons.filter((r) => !before.reasons.includes(r));
      why.push(...(fresh.length > 0 ? fresh : [`${before.summary} → ${after.summary}`]));
    }
  }
  return { kinds: [...kinds], why };
}

function diffRules(
  before: RuleNeed[] | "none",
  after: RuleNeed[] | "none",
  add: (kind: ImpactKind, sentence: string) => void,
): void {
  const was = total(before);
  const now = total(after);
  if (before === "none" && after === "none") return;
  if (after === "none") {
    add("fewer-approvals", `needs no approval now (was ${plural(was, "approval")})`);
    return;
  }
  if (before === "none") {
    add("needs-more-approvals", `needs ${plural(now, "approval")} (was none): ${describe(after)}`);
    return;
  }
  if (now > was)
    add("needs-more-approvals", `needs ${plural(now, "approval")} (was ${was}): ${describe(after)}`);
  else if (now < was)
    add("fewer-approvals", `needs ${plural(now, "approval")} (was ${was}): ${describe(after)}`);
  for (const r of after) {
    const old = before.find((b) => b.name === r.name);
    if (!old) {
      if (now === was)
        add("approvers-changed", `new approval rule ${r.name}: ${r.count} from ${list(r.from)}`);
      continue;
    }
    if (list(old.from) !== list(r.from))
      add("approvers-changed", `rule ${r.name}: approvers ${list(old.from)} → ${list(r.from)}`);
  }
  for (const b of before)
    if (!after.some((r) => r.name === b.name) && now === was)
      add("approvers-changed", `approval rule ${b.name} (${b.count} from ${list(b.from)}) is gone`);
}

function describe(rules: RuleNeed[]): string {
  return rules.map((r) => `${r.name} ${r.count} from ${list(r.from)}`).join("; ");
}
