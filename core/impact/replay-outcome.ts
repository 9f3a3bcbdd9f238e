import { checkRequest } from "../check-request.js";
import { isEligible, lower, type CompiledEntitlement } from "../compile-policy.js";
import { ownersOf } from "../codeowners.js";
import type { DecisionKind } from "../evaluate/decision.js";
import { evaluatePull } from "../evaluate/evaluate-pull.js";
import { buildIdentities } from "../evaluate/identities.js";
import type { PreparedBase } from "../evaluate/prepare-base.js";
import type { DirectorySnapshot } from "../evaluate/pull-snapshot.js";
import type { SourceFile } from "../types.js";
import { parseYaml } from "../yaml/parse-yaml.js";
import type { ReplayRequest } from "./replay-input.js";

/** One approval rule as a request needs it: how many, from whom; `have` when reviews are known. */
export interface RuleNeed {
  name: string;
  count: number;
  /** `@org/team` and `@user`, code owners resolved for the request's path. */
  from: string[];
  have?: number;
}

/** How one request file fares under one policy. */
export interface ReplayOutcome {
  /** With reviews: the decision; without: the decision with no review yet (approval needed = pending). */
  decision: DecisionKind;
  /** Coded errors of the file under this policy (decision invalid). */
  errors: { code: string; message: string }[];
  entitlement?: string;
  /** Whether the requester is eligible: unknown when team membership or the requester is not known. */
  eligible: "yes" | "no" | "unknown";
  eligibleFrom: string[];
  rules: RuleNeed[] | "none";
  maxDuration?: string;
  /** The decision's reasons for this file (when the decision was evaluated with a directory). */
  reasons: string[];
  /** One line: decision and rules, e.g. `pending: sre 0/1`. */
  summary: string;
}

/**
 * Replays one request file of `req` under the policy of `base`, judged as of when it was decided. With a
 * directory that knows the requester, the pull request is evaluated as the bot would (with its
 * reviews when `reviews`, else with none); otherwise the requirements are read from the
 * entitlement, and eligibility through teams stays unknown.
 */
export function replayOutcome(
  base: PreparedBase,
  req: ReplayRequest,
  file: SourceFile,
  dir: DirectorySnapshot | undefined,
  reviews: boolean,
): ReplayOutcome {
  const at = new Date(req.at);
  const policy = base.loaded.policy;
  const checked = checkRequest(file, policy, at, { merged: req.state === "merged" });
  if (!checked.ok) {
    const errors = checked.errors.map((e) => ({ code: e.code, message: e.message }));
    return {
      decision: "invalid",
      errors,
      eligible: "unknown",
      eligibleFrom: [],
      rules: "none",
      reasons: [],
      summary: `invalid: ${errors.map((e) => e.code).join(", ")}`,
      ...entitlementOf(file),
    };
  }
  const e = checked.value.entitlement;
  const rules = ruleNeeds(e, base, file.path);
  const eligibleFrom = [
    ...(e.source.eligible.teams ?? []).map((t) => `@${t}`),
    ...(e.source.eligible.users ?? []).map((u) => `@${u}`),
  ];
  const author = req.snapshot.author;
  const common = {
    errors: [],
    entitlement: e.source.name,
    eligibleFrom,
    maxDuration: e.source.maxDuration,
  };
  const who = dir && author ? buildIdentities(req.snapshot, dir) : undefined;
  if (who && who.authorId !== undefined) {
    const snapshot = reviews ? req.snapshot : { ...req.snapshot, reviews: [] };
    const d = evaluatePull(base, snapshot, dir!, at);
    const result = d.requests.find((r) => r.path === file.path);
    const decision = result?.decision ?? d.decision;
    const scored =
      rules === "none"
        ? "none"
        : rules.map((r) => {
            const s = result?.rules.find((x) => x.name === r.name);
            return reviews && s ? { ...r, have: s.have } : r;
          });
    return {
      ...common,
      decision,
      eligible: isEligible(e, author, who.teamsOf(who.authorId)) ? "yes" : "no",
      rules: scored,
      reasons: reasonsFor(d.reasons, checked.value.request.metadata.name),
      summary: summarize(decision, scored),
    };
  }
  const eligible: ReplayOutcome["eligible"] = !author
    ? "unknown"
    : e.eligibleUsers.has(lower(author))
      ? "yes"
      : e.eligibleTeams.size === 0
        ? "no"
        : "unknown";
  const decision: DecisionKind =
    eligible === "no"
      ? "denied"
      : rules === "none" || checked.value.request.spec.breakGlass === true
        ? "approved"
        : "pending";
  return { ...common, decision, eligible, rules, reasons: [], summary: summarize(decision, rules) };
}

/** The reasons about one request (prefixed with its name), or every reason when none is (a PR-level outcome). */
function reasonsFor(reasons: string[], name: string): string[] {
  const own = reasons.filter((r) => r.startsWith(`${name}: `));
  return own.length > 0 ? own.map((r) => r.slice(name.length + 2)) : reasons;
}

/** The entitlement a file names, even when it is invalid, so the report can say which it was. */
function entitlementOf(file: SourceFile): { entitlement?: string } {
  const parsed = parseYaml(file.content);
  const name = parsed.ok
    ? (parsed.value.data as { spec?: { entitlement?: unknown } } | null)?.spec?.entitlement
    : undefined;
  return typeof name === "string" ? { entitlement: name } : {};
}

/** The approval rules of an entitlement, with code owners of `path` resolved in the base CODEOWNERS. */
function ruleNeeds(e: CompiledEntitlement, base: PreparedBase, path: string): RuleNeed[] | "none" {
  const approval = e.source.approval;
  if (approval === "none") return "none";
  return approval.map((rule, i) => {
    const from = [
      ...(rule.from.teams ?? []).map((t) => `@${t}`),
      ...(rule.from.users ?? []).map((u) => `@${u}`),
    ];
    if (rule.from.codeowners)
      for (const o of ownersOf(base.codeowners.rules, path)) if (!from.includes(o)) from.push(o);
    return { name: rule.name ?? `rule ${i + 1}`, count: rule.count, from };
  });
}

/** `pending: sre 0/1, owners 1/1`, or `approved: no approval needed`. */
function summarize(decision: DecisionKind, rules: RuleNeed[] | "none"): string {
  // A denial has no rules to count: the reasons say why.
  if (decision === "invalid" || decision === "denied") return decision;
  if (rules === "none") return `${decision}: no approval needed`;
  const parts = rules.map((r) =>
    r.have === undefined ? `${r.name} needs ${r.count}` : `${r.name} ${r.have}/${r.count}`,
  );
  return `${decision}: ${parts.join(", ")}`;
}
