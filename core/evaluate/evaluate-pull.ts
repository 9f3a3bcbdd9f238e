import { checkRequest, isRequestPath, type CheckedRequest } from "../check-request.js";
import { formatFileError } from "../format-file-error.js";
import { isEligible, lower, type CompiledPolicy } from "../compile-policy.js";
import { isPolicyPath, loadPolicy } from "../load-policy.js";
import type { ApprovalRule, Grant, PrincipalMap, SourceFile } from "../types.js";
import { tallyReviews, type ReviewTally } from "./count-approvals.js";
import {
  stricter,
  type Decision,
  type DecisionKind,
  type RequestResult,
  type RuleResult,
} from "./decision.js";
import { buildIdentities, type Identities } from "./identities.js";
import { isPolicyChangePath, type PreparedBase } from "./prepare-base.js";
import type { DirectorySnapshot, PullSnapshot } from "./pull-snapshot.js";
import { possibleApprovers, ruleAudience, scoreRule } from "./resolve-rule.js";

/** Most files GitHub lists for a pull request; beyond it the decision cannot see everything. */
export const MAX_FILES = 3000;

interface Context {
  base: PreparedBase;
  policy: CompiledPolicy;
  pr: PullSnapshot;
  who: Identities;
  tally: ReviewTally;
  now: Date;
}

/**
 * Decides a pull request from the base commit's policy and CODEOWNERS, the PR snapshot and the
 * directory, at time `now`. Pure: no I/O, no clock. Fails closed: every path that is not a
 * positive decision ends in pending, denied or invalid with a reason.
 */
export function evaluatePull(
  base: PreparedBase,
  pr: PullSnapshot,
  dir: DirectorySnapshot,
  now: Date,
): Decision {
  if (!base.loaded.policy) {
    const reasons = base.loaded.results.flatMap((r) =>
      r.errors.map((e) => `base policy ${formatFileError(r.path, e)}`),
    );
    return done("invalid", reasons.length ? reasons : ["the base commit has no readable policy"], []);
  }
  if (pr.truncated || pr.files.length > MAX_FILES) {
    const what = pr.truncated === "commits" ? "commits" : "files";
    return done(
      "denied",
      [`the pull request has more ${what} than GitHub lists, so it cannot be checked in full; split it`],
      [],
    );
  }
  const requestFiles: { path: string; content: string; status: string }[] = [];
  const removedRequests: string[] = [];
  const otherPaths: string[] = [];
  for (const f of pr.files) {
    if (f.status === "renamed" && f.previousPath) {
      if (isRequestPath(f.previousPath)) removedRequests.push(f.previousPath);
      else otherPaths.push(f.previousPath);
    }
    if (!isRequestPath(f.path)) otherPaths.push(f.path);
    else if (f.status === "removed") removedRequests.push(f.path);
    else requestFiles.push({ path: f.path, content: f.content ?? "", status: f.status });
  }
  const who = buildIdentities(pr, dir);
  const ctx: Context = { base, policy: base.loaded.policy, pr, who, tally: tallyReviews(pr, who), now };

  if (requestFiles.length > 0 && otherPaths.length > 0) {
    const kind = otherPaths.some(isPolicyChangePath) ? "a policy change" : "files outside access/requests/";
    const mixed = `a request is mixed with ${kind} (${otherPaths.slice(0, 5).join(", ")}); open them as separate pull requests`;
    // Precedence: a file error (invalid) outranks the mix (denied).
    const fileErrors = requestFiles.flatMap((f) => {
      const r = checkRequest(f, ctx.policy, now);
      return r.ok ? [] : r.errors.map((e) => formatFileError(f.path, e));
    });
    return done(fileErrors.length > 0 ? "invalid" : "denied", [...fileErrors, mixed], []);
  }
  if (otherPaths.length > 0) return evaluateRepositoryChange(ctx, otherPaths);
  if (requestFiles.length === 0) {
    if (removedRequests.length > 0) {
      return done(
        "approved",
        [
          `removes ${removedRequests.length} request${removedRequests.length === 1 ? "" : "s"}: removal needs no approval`,
        ],
        [],
      );
    }
    return done("denied", ["the pull request changes no file"], []);
  }
  let decision: DecisionKind = "approved";
  const reasons: string[] = [];
  const results: RequestResult[] = [];
  for (const file of requestFiles) {
    const r = evaluateRequest(ctx, file);
    decision = stricter(decision, r.result.decision);
    reasons.push(...r.reasons);
    results.push(r.result);
  }
  return done(decision, reasons, results);
}

function done(
  decision: DecisionKind,
  reasons: string[],
  requests: RequestResult[],
  policy?: { rules: RuleResult[] },
): Decision {
  const autoMerge = decision === "approved" && requests.length > 0 && requests.every((r) => r.autoMerge);
  return { decision, reasons, requests, ...(policy ? { policy } : {}), autoMerge };
}

/** Policy, CODEOWNERS or other repository files: the head policy must be valid and policy owners approve. */
function evaluateRepositoryChange(ctx: Context, paths: string[]): Decision {
  const head = headPolicyFiles(ctx.base.policyFiles, ctx.pr);
  const loaded = loadPolicy(head);
  const errors = loaded.results.flatMap((r) => r.errors.map((e) => formatFileError(r.path, e)));
  if (errors.length > 0) return done("invalid", errors, []);
  const owners = ctx.policy.source.policyOwners;
  if (owners.length === 0) {
    return done(
      "denied",
      [
        "the base policy declares no policyOwners, so no one can approve a change to policy or repository files",
      ],
      [],
    );
  }
  const scored = scoreRules(ctx, owners, paths, "policy change");
  return done(scored.decision, scored.reasons, [], { rules: scored.rules });
}

/** The policy files as they will be at the head: base files with the PR's changes applied. */
function headPolicyFiles(base: SourceFile[], pr: PullSnapshot): SourceFile[] {
  const files = new Map(base.map((f) => [f.path, f.content]));
  for (const f of pr.files) {
    if (f.status === "renamed" && f.previousPath) files.delete(f.previousPath);
    if (f.status === "removed") files.delete(f.path);
    else files.set(f.path, f.content ?? "");
  }
  return [...files].filter(([p]) => isPolicyPath(p)).map(([path, content]) => ({ path, content }));
}

function evaluateRequest(
  ctx: Context,
  file: { path: string; content: string },
): { result: RequestResult; reasons: string[] } {
  const checked = checkRequest(file, ctx.policy, ctx.now);
  if (!checked.ok) {
    const reasons = checked.errors.map((e) => formatFileError(file.path, e));
    return { result: { path: file.path, decision: "invalid", rules: [] }, reasons };
  }
  const r = checked.value;
  const e = r.entitlement.source;
  const base = {
    path: file.path,
    name: r.request.metadata.name,
    entitlement: e.name,
    autoMerge: e.autoMerge === true,
    breakGlass: r.request.spec.breakGlass === true,
  };
  const deny = (reason: string, principal?: string) => ({
    result: { ...base, ...(principal ? { principal } : {}), decision: "denied" as const, rules: [] },
    reasons: [`${r.request.metadata.name}: ${reason}`],
  });
  const { who, pr } = ctx;
  if (ctx.who.authorId === undefined)
    return deny(`the author ${pr.author} is not in the directory, so their identity cannot be checked`);
  const grantee = resolveGrantee(ctx, r);
  if ("error" in grantee) return deny(grantee.error, r.request.spec.principal);
  const principal = r.request.spec.principal ?? firstPrincipal(grantee.map);
  const authorTeams = who.teamsOf(who.authorId!);
  if (!isEligible(r.entitlement, pr.author, authorTeams)) {
    return deny(
      `${pr.author} is not eligible for ${e.name}; eligible: ${describeEligible(e.eligible)}`,
      principal,
    );
  }
  if (grantee.login !== lower(pr.author)) {
    const gid = who.idOf(grantee.login);
    if (gid === undefined || !isEligible(r.entitlement, grantee.login, who.teamsOf(gid))) {
      return deny(
        `the grantee ${grantee.login} is not eligible for ${e.name}; eligible: ${describeEligible(e.eligible)}`,
        principal,
      );
    }
  }
  const withPrincipal = { ...base, principal };
  if (base.breakGlass) {
    return {
      result: { ...withPrincipal, decision: "approved", rules: [] },
      reasons: [
        `${base.name}: break-glass within ${e.breakGlass?.maxDuration}: granted without approval; a post-incident review follows`,
      ],
    };
  }
  if (e.approval === "none") {
    return {
      result: { ...withPrincipal, decision: "approved", rules: [] },
      reasons: [`${base.name}: ${e.name} needs no approval`],
    };
  }
  // Whoever receives the grant may not approve it either, even when someone else asked for it.
  const granteeId = grantee.login !== lower(pr.author) ? who.idOf(grantee.login) : undefined;
  const scored = scoreRules(ctx, e.approval, [file.path], base.name, granteeId);
  return {
    result: { ...withPrincipal, decision: scored.decision, rules: scored.rules },
    reasons: scored.reasons,
  };
}

/** Scores approval rules (all must hold) for changed `paths`; `label` prefixes the reasons. */
function scoreRules(ctx: Context, rules: ApprovalRule[], paths: string[], label: string, granteeId?: number) {
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

function resolveGrantee(
  ctx: Context,
  r: CheckedRequest,
): { login: string; map: PrincipalMap } | { error: string } {
  const principals = ctx.policy.source.principals;
  const mapOf = (login: string) => Object.entries(principals).find(([l]) => lower(l) === lower(login));
  const author = lower(ctx.pr.author);
  let login = author;
  const asked = r.request.spec.principal;
  if (asked !== undefined) {
    const owners = ctx.policy.principalOwners.get(asked);
    if (!owners || owners.size === 0)
      return { error: `principal ${asked} is not mapped to any GitHub login in policy principals` };
    const lowered = [...owners].map(lower);
    if (!lowered.includes(author)) {
      if (!r.entitlement.source.requestForOthers) {
        return {
          error: `principal ${asked} is not ${ctx.pr.author}'s, and ${r.entitlement.source.name} does not allow requesting for others`,
        };
      }
      login = lowered[0]!;
    }
  }
  const entry = mapOf(login);
  if (!entry)
    return { error: `${login} has no principals mapped in policy, so the grant has no one to bind to` };
  const missing = r.entitlement.source.grants.map(providerOf).filter((p) => !entry[1][p]);
  if (missing.length > 0)
    return { error: `${login} has no ${[...new Set(missing)].join(", ")} principal mapped in policy` };
  return { login, map: entry[1] };
}

function providerOf(g: Grant): keyof PrincipalMap {
  return "gcp" in g ? "gcp" : "azure" in g ? "azure" : "kubernetes";
}

function firstPrincipal(m: PrincipalMap): string {
  return m.gcp ?? m.azure ?? m.kubernetes ?? "";
}

function describeEligible(e: { teams?: string[]; users?: string[] }): string {
  return (
    [...(e.teams ?? []).map((t) => `@${t}`), ...(e.users ?? []).map((u) => `@${u}`)].join(", ") || "no one"
  );
}
