import { fileStem, isRequestPath } from "../check-request.js";
import type { DecisionKind } from "../evaluate/decision.js";
import { formatFileError } from "../format-file-error.js";
import { diffOutcomes } from "./diff-outcomes.js";
import { diffWorkloads, trustChanges, type WorkloadChange } from "./diff-workloads.js";
import { impactHeadline } from "./impact-headline.js";
import { IMPACT_KINDS, type ImpactKind } from "./impact-kind.js";
import { replayOutcome } from "./replay-outcome.js";
import type { ImpactInput, ReplayCoverage, ReplayRequest } from "./replay-input.js";

/** Version of the report's JSON shape (`jitops impact --json`); bumped on a breaking change. */
export const IMPACT_REPORT_VERSION = 1;

/** One side of a changed request: its decision and a one-line rule summary. */
export interface ImpactSide {
  decision: DecisionKind;
  summary: string;
}

/** A request that would fare differently under the head policy, and why. */
export interface RequestImpact {
  pr?: number;
  commit?: string;
  state: ReplayRequest["state"];
  /** When it was decided (merge time, or now for open requests). */
  at: string;
  path: string;
  /** metadata.name (the file stem). */
  request: string;
  entitlement?: string;
  /** The requester's login; "" when unknown. */
  author: string;
  before: ImpactSide;
  after: ImpactSide;
  kinds: ImpactKind[];
  why: string[];
}

/** What a policy change would change: replayed requests that decide differently, and workload trust. */
export interface ImpactReport {
  version: typeof IMPACT_REPORT_VERSION;
  /** One sentence for a check run's title or a terminal. */
  headline: string;
  /** Request files replayed (one pull request may hold several). */
  replayed: number;
  merged: number;
  open: number;
  /** Requests whose decision or requirements differ. */
  changed: number;
  /** Of those, requests whose decision differs. */
  decisionChanged: number;
  byKind: Partial<Record<ImpactKind, number>>;
  requests: RequestImpact[];
  workloads: WorkloadChange[];
  /** What `jitops apply` would change in the clouds' trust. */
  trust: string[];
  coverage: ReplayCoverage & { directory: boolean };
  /** The head (or base) policy has errors: nothing was replayed. */
  policyErrors?: string[];
}

/**
 * Replays every request under the base and the head policy and reports the ones that differ, with
 * the workload trust each policy renders. Pure: the requests, reviews, directory and times come in.
 */
export function impactReport(input: ImpactInput): ImpactReport {
  const coverage = { ...input.coverage, directory: input.directory !== undefined };
  const empty = {
    version: IMPACT_REPORT_VERSION,
    replayed: 0,
    merged: 0,
    open: 0,
    changed: 0,
    decisionChanged: 0,
    byKind: {},
    requests: [],
    workloads: [],
    trust: [],
    coverage,
  } as const;
  const errors = [...policyErrors("head", input.head), ...policyErrors("base", input.base)];
  const basePolicy = input.base.loaded.policy;
  const headPolicy = input.head.loaded.policy;
  if (!basePolicy || !headPolicy) {
    const report: ImpactReport = {
      ...empty,
      byKind: {},
      requests: [],
      workloads: [],
      trust: [],
      headline: "",
      policyErrors: errors,
    };
    return { ...report, headline: impactHeadline(report) };
  }
  const requests: RequestImpact[] = [];
  let replayed = 0;
  let merged = 0;
  let open = 0;
  for (const req of input.requests) {
    for (const f of req.snapshot.files) {
      if (!isRequestPath(f.path) || f.status === "removed" || f.content === undefined) continue;
      replayed++;
      if (req.state === "merged") merged++;
      else open++;
      const file = { path: f.path, content: f.content };
      const before = replayOutcome(input.base, req, file, input.directory, input.coverage.reviews);
      const after = replayOutcome(input.head, req, file, input.directory, input.coverage.reviews);
      const diff = diffOutcomes(before, after, req.snapshot.author);
      if (diff.kinds.length === 0 && before.decision === after.decision) continue;
      requests.push({
        ...(req.pr !== undefined ? { pr: req.pr } : {}),
        ...(req.commit ? { commit: req.commit } : {}),
        state: req.state,
        at: req.at,
        path: f.path,
        request: fileStem(f.path),
        ...((after.entitlement ?? before.entitlement)
          ? { entitlement: after.entitlement ?? before.entitlement }
          : {}),
        author: req.snapshot.author,
        before: { decision: before.decision, summary: before.summary },
        after: { decision: after.decision, summary: after.summary },
        kinds: IMPACT_KINDS.filter((k) => diff.kinds.includes(k)),
        why: diff.why,
      });
    }
  }
  // Most serious first, then newest.
  const rank = (r: RequestImpact) =>
    Math.min(...r.kinds.map((k) => IMPACT_KINDS.indexOf(k)), IMPACT_KINDS.length);
  requests.sort((a, b) => rank(a) - rank(b) || b.at.localeCompare(a.at));
  const byKind: Partial<Record<ImpactKind, number>> = {};
  for (const r of requests) for (const k of r.kinds) byKind[k] = (byKind[k] ?? 0) + 1;
  const report: ImpactReport = {
    ...empty,
    headline: "",
    replayed,
    merged,
    open,
    changed: requests.length,
    decisionChanged: requests.filter((r) => r.before.decision !== r.after.decision).length,
    byKind,
    requests,
    workloads: diffWorkloads(basePolicy.source, headPolicy.source),
    trust: trustChanges(basePolicy.source, headPolicy.source),
  };
  return { ...report, headline: impactHeadline(report) };
}

function policyErrors(which: "base" | "head", base: ImpactInput["base"]): string[] {
  if (base.loaded.policy) return [];
  const errors = base.loaded.results.flatMap((r) =>
    r.errors.map((e) => `${which} policy ${formatFileError(r.path, e)}`),
  );
  return errors.length > 0 ? errors : [`the ${which} has no readable policy`];
}
