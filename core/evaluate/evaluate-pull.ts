import { isCertificationPath } from "../certification/certification-path.js";
import { lapseReason, statusOf } from "../certification/certification-status.js";
import { checkRequest, isRequestPath, type CheckedRequest } from "../check-request.js";
import { formatFileError } from "../format-file-error.js";
import { isEligible, lower, type CompiledPolicy } from "../compile-policy.js";
import { isPolicyPath, loadPolicy } from "../load-policy.js";
import { providerOf } from "../plan/binding.js";
import type { PrincipalMap, SourceFile } from "../types.js";
import { tallyReviews, type ReviewTally } from "./count-approvals.js";
import { evaluateCertification } from "./evaluate-certification.js";
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
import { scoreRules } from "./score-rules.js";

/** Most files GitHub lists for a pull request; beyond it the decision cannot see everything. */
export const MAX_FILES = 3000;

interface Context {
  base: PreparedBase;
  policy: CompiledPolicy;
  pr: PullSnapshot;
  who: Identities;
  tally: ReviewTally;
  now: Date;
  /** Said on the check run without changing the decision (a lapsed certification with `keep`). */
  warnings: string[];
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
  // Records written (added or changed) are certifications; deleting or renaming one away is a repository change.
  const certificationFiles: { path: string; content: string }[] = [];
  for (const f of pr.files) {
    if (f.status === "renamed" && f.previousPath) {
      if (isRequestPath(f.previousPath)) removedRequests.push(f.previousPath);
      else otherPaths.push(f.previousPath);
    }
    if (isCertificationPath(f.path) && f.status !== "removed")
      certificationFiles.push({ path: f.path, content: f.content ?? "" });
    else if (!isRequestPath(f.path)) otherPaths.push(f.path);
    else if (f.status === "removed") removedRequests.push(f.path);
    else requestFiles.push({ path: f.path, content: f.content ?? "", status: f.status });
  }
  const who = buildIdentities(pr, dir);
  const ctx: Context = {
    base,
    policy: base.loaded.policy,
    pr,
    who,
    tally: tallyReviews(pr, who),
    now,
    warnings: [],
  };

  if (requestFiles.length > 0 && (otherPaths.length > 0 || certificationFiles.length > 0)) {
    const kind = otherPaths.some(isPolicyChangePath)
      ? "a policy change"
      : certificationFiles.length > 0
        ? "a certification"
        : "files outside access/requests/";
    const paths = [...otherPaths, ...certificationFiles.map((f) => f.path)];
    const mixed = `a request is mixed with ${kind} (${paths.slice(0, 5).join(", ")}); open them as separate pull requests`;
    // Precedence: a file error (invalid) outranks the mix (denied).
    const fileErrors = requestFiles.flatMap((f) => {
      const r = checkRequest(f, ctx.policy, now);
      return r.ok ? [] : r.errors.map((e) => formatFileError(f.path, e));
    });
    return done(fileErrors.length > 0 ? "invalid" : "denied", [...fileErrors, mixed], []);
  }
  if (certificationFiles.length > 0) {
    const rest = [...otherPaths, ...removedRequests];
    if (rest.length > 0) {
      return done(
        "denied",
        [
          `a certification is mixed with other changes (${rest.slice(0, 5).join(", ")}); a certification pull request writes access/certifications/ only: open them as separate pull requests`,
        ],
        [],
      );
    }
    const c = evaluateCertification(ctx, certificationFiles, now);
    return {
      ...done(c.decision, c.reasons, [], { rules: c.rules }),
      certification: { policies: c.policies },
      // The approval is the certification; merging records it, so the bot merges the approved head.
      autoMerge: c.decision === "approved",
    };
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
  const d = done(decision, reasons, results);
  return ctx.warnings.length > 0 ? { ...d, warnings: [...new Set(ctx.warnings)] } : d;
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
  // Certification lapses come from Git (the last merged record's date + every), never from memory.
  const cert = ctx.base.certifications && statusOf(ctx.base.certifications, "entitlement", e.name, ctx.now);
  if (cert?.lapsed) {
    if (cert.item.onNoResponse === "suspend")
      return deny(
        `${e.name} is suspended: ${lapseReason(cert)}; merging its certification pull request lifts it`,
      );
    ctx.warnings.push(
      `${e.name}: ${lapseReason(cert)}; requests are still decided (onNoResponse: keep) until its certification merges`,
    );
  }
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

function firstPrincipal(m: PrincipalMap): string {
  return m.gcp ?? m.azure ?? m.kubernetes ?? "";
}

function describeEligible(e: { teams?: string[]; users?: string[] }): string {
  return (
    [...(e.teams ?? []).map((t) => `@${t}`), ...(e.users ?? []).map((u) => `@${u}`)].join(", ") || "no one"
  );
}
