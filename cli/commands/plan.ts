import type { Env } from "../../core/env.js";
import { checkRequest, type CheckedRequest } from "../../core/check-request.js";
import type { CompiledPolicy } from "../../core/compile-policy.js";
import { prepareBase } from "../../core/evaluate/prepare-base.js";
import { fileKind, FILE_KIND_NAMES } from "../../core/file-kind.js";
import type { FileCheck } from "../../core/load-policy.js";
import { desiredBindings, type MergedRequest } from "../../core/plan/desired-bindings.js";
import { diffBindings } from "../../core/plan/diff-bindings.js";
import { renderPlan } from "../../core/plan/render-plan.js";
import { findMergedRequests } from "../../tree/merged-requests.js";
import { listYaml, readEach } from "../../tree/read-files.js";
import { readRepoBase } from "../../tree/read-repo-base.js";
import { EXIT } from "../exit-status.js";
import type { Output } from "../output.js";
import { printJson, reportInvalidFiles } from "../report-failure.js";

/** Options of `jitops plan` (without --trust). */
export interface PlanOptions {
  /** The PR author: the requester of every file planned. */
  author: string;
  json?: boolean;
  root: string;
  now: Date;
  env: Env;
  defaultBranch?: string;
}

const lower = (s: string) => s.toLowerCase();
const files = (n: number) => `${n} request file${n === 1 ? "" : "s"}`;

/**
 * Why `author` could not have requested `r`, as far as a checkout tells (no directory of teams):
 * a principal mapped to someone else on an entitlement that does not allow requesting for others,
 * or eligibility that names users only, not the author.
 */
function notRequestable(r: CheckedRequest, policy: CompiledPolicy, author: string): string | undefined {
  const e = r.entitlement;
  const asked = r.request.spec.principal;
  const owners = asked === undefined ? undefined : policy.principalOwners.get(asked);
  if (
    owners &&
    owners.size > 0 &&
    ![...owners].map(lower).includes(lower(author)) &&
    !e.source.requestForOthers
  )
    return `principal ${asked} is not ${author}'s, and ${e.source.name} does not allow requesting for others, so the bot would deny it`;
  if (e.eligibleTeams.size === 0 && !e.eligibleUsers.has(lower(author)))
    return `${author} is not eligible for ${e.source.name}; eligible: ${[...e.eligibleUsers].join(", ") || "nobody"}`;
  return undefined;
}

/**
 * `jitops plan`: the bindings the checkout's requests (repository-relative paths; default: every
 * file under access/requests/) would get if `author` opened the PR and it merged now. It reads no
 * cloud, so it says what would be granted, never what would change.
 */
export async function runPlan(paths: string[] | undefined, opts: PlanOptions, o: Output): Promise<number> {
  // Whole seconds: a plan is read by people, and expiries land on the second.
  const now = new Date(Math.floor(opts.now.getTime() / 1000) * 1000);
  const base = prepareBase(await readRepoBase(opts.root));
  const policy = base.loaded.policy;
  if (!policy) return invalid(base.loaded.results, "the policy under policies/ has errors", opts, o);

  const given = paths ?? (await listYaml(opts.root, "access/requests"));
  const problems: FileCheck[] = [];
  const requestPaths: string[] = [];
  for (const path of given) {
    const kind = fileKind(path);
    if (kind === "request") requestPaths.push(path);
    else {
      const message = `${path} is ${FILE_KIND_NAMES[kind]}, not an access request (access/requests/*.yaml)`;
      problems.push({ path, ok: false, errors: [{ line: 1, column: 1, code: "file.kind", message }] });
    }
  }
  const read = await readEach(opts.root, requestPaths);
  const readable = read.flatMap((r) => ("content" in r ? [r] : []));
  const { merged } = await findMergedRequests(
    opts.root,
    readable.map((r) => r.path),
    { env: opts.env, ...(opts.defaultBranch ? { ref: opts.defaultBranch } : {}) },
  );
  const planned: MergedRequest[] = [];
  const skipped: { path: string; reason: string }[] = [];
  for (const r of read) {
    if ("error" in r) {
      problems.push({ path: r.path, ok: false, errors: [r.error] });
      continue;
    }
    const checked = checkRequest(r, policy, now, { merged: merged.has(r.path) });
    if (!checked.ok) {
      problems.push({ path: r.path, ok: false, errors: checked.errors });
      continue;
    }
    const why = notRequestable(checked.value, policy, opts.author);
    if (why) skipped.push({ path: r.path, reason: why });
    else planned.push({ checked: checked.value, requester: opts.author, mergedAt: now });
  }
  if (problems.length > 0) {
    const bad = problems.length;
    return invalid(problems, `${files(bad)} ${bad === 1 ? "is" : "are"} invalid`, opts, o);
  }

  const { bindings, unbindable } = desiredBindings(planned, policy);
  const plan = diffBindings(bindings, [], now);
  const status = unbindable.length > 0 ? EXIT.findings : EXIT.ok;
  if (opts.json) {
    printJson(o, { plan, unbindable, skipped });
    return status;
  }
  for (const s of skipped) o.err(`warning: skipped ${s.path}: ${s.reason}`);
  if (given.length === 0) {
    o.out("no request files under access/requests/: nothing to plan (the policy is valid)");
    return status;
  }
  o.out(
    `${files(planned.length)} planned as if ${opts.author} opened the pull request and it merged now${skipped.length ? ` (${skipped.length} skipped)` : ""}; the cloud is not read:`,
  );
  o.out(bindings.length > 0 ? renderPlan(plan, now) : "nothing would be granted");
  for (const u of unbindable) o.out(`cannot bind ${u.requestId}: ${u.reason}`);
  return status;
}

/** Reports files that keep plan from planning, like validate does; exit status 1. */
function invalid(results: FileCheck[], what: string, opts: PlanOptions, o: Output): number {
  const message = `${what}; nothing was planned (jitops validate shows the same errors)`;
  return reportInvalidFiles(o, opts.json === true, results, message);
}
