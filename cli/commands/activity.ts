import type { Clock } from "../../core/clock.js";
import type { Env } from "../../core/env.js";
import { recordActivity, type ActivityReader } from "../../app/activity-record.js";
import { activityWindows, type RequestHistory } from "../../app/activity-windows.js";
import { renderActivityLines } from "../../core/activity/render-activity.js";
import { parseDuration } from "../../core/duration.js";
import { prepareBase } from "../../core/evaluate/prepare-base.js";
import { readRepoBase } from "../../tree/read-repo-base.js";
import { UsageError } from "../command-spec.js";
import { EXIT } from "../exit-status.js";
import type { Output } from "../output.js";
import { printJson } from "../report-failure.js";

/** Options of `jitops activity`. */
export interface ActivityOptions {
  json?: boolean;
  root: string;
  /** How far back a workload's period (and a request's windows) reach: `30d` by default. */
  since?: string;
  /** The requester's GitHub login, when Git's history cannot tell it. */
  author?: string;
}

/** What `jitops activity` reads: the clouds' logs and Git's history (injected by tests). */
export interface ActivityDeps {
  readers: readonly ActivityReader[];
  history: RequestHistory;
}

/** The period `--since` names, in milliseconds; a usage error naming the accepted form otherwise. */
export function sinceMs(since: string | undefined, fallback = "30d"): number {
  const minutes = parseDuration(since ?? fallback);
  if (minutes === undefined)
    throw new UsageError(`--since ${since} is not a duration; use (Nd)(Nh)(Nm), e.g. 30d, 90d, 12h`);
  return minutes * 60_000;
}

/** The policy of the checkout; a usage error when it does not load (jitops validate says why). */
export async function localPolicy(root: string) {
  const policy = prepareBase(await readRepoBase(root)).loaded.policy;
  if (!policy) throw new UsageError("the policy under policies/ has errors (jitops validate shows them)");
  return policy.source;
}

/**
 * `jitops activity <request | workload>`: what a request's principal did in each grant window (from
 * the request file's history in Git), or a workload over `--since`, from the clouds' audit logs.
 */
export async function runActivity(
  name: string,
  opts: ActivityOptions,
  o: Output,
  now: Clock,
  deps: ActivityDeps,
): Promise<number> {
  const span = sinceMs(opts.since);
  const resolved = await activityWindows(name, {
    policy: await localPolicy(opts.root),
    history: deps.history,
    now: now(),
    sinceMs: span,
    ...(opts.author ? { author: opts.author } : {}),
  });
  if (!resolved.ok) throw new UsageError(resolved.message);
  const records = await recordActivity(deps.readers, resolved.windows);
  if (opts.json) printJson(o, { ok: true, subject: resolved.subject, records, problems: resolved.problems });
  else {
    if (records.length === 0) o.out(`${name}: no grant window in the last ${opts.since ?? "30d"}`);
    for (const line of renderActivityLines(records)) o.out(line);
    for (const p of resolved.problems) o.err(`warning: ${p}`);
  }
  return EXIT.ok;
}

/** The clouds' log readers from the environment, and Git's history of the checkout at `root`. */
export async function activityDepsFromEnv(root: string, env: Env, now: Clock): Promise<ActivityDeps> {
  const { activityReadersFromEnv } = await import("../../activity/readers-from-env.js");
  const { requestHistory, requestNames } = await import("../../activity/request-history.js");
  return {
    readers: activityReadersFromEnv(env, now),
    history: { versions: (n) => requestHistory(root, n), names: () => requestNames(root) },
  };
}
