import { decisionAuditEvent, type AuditSink } from "../core/audit.js";
import type { Clock } from "../core/clock.js";
import type { PreparedBase } from "../core/evaluate/prepare-base.js";
import type { PullSnapshot } from "../core/evaluate/pull-snapshot.js";
import { decisionEvent, pullEvent } from "../core/events/build-events.js";
import type { LifecycleEvent } from "../core/events/lifecycle-event.js";
import type { Decision } from "../core/evaluate/decision.js";
import { teamsToResolve } from "../core/evaluate/teams-to-resolve.js";
import { renderCheck } from "../core/render-check.js";
import { reviewersToRequest } from "../core/reviewers-to-request.js";
import { PLAN_MARKER, planComment } from "../core/plan/plan-pull.js";
import { evaluateInTurns } from "./evaluate-in-turns.js";
import {
  HeadNotVisibleError,
  type Logger,
  type MergeOutcome,
  type PullSummary,
  type RepoPorts,
} from "./ports.js";
import type { UseCaseMemory } from "./use-case-memory.js";

/** Why a decision was not reported: `createCheck: false` and no check run on the head yet. */
export const NO_CHECK_YET = "no check run on this head yet; the delivery for it reports the decision";

/** What deciding a pull request needs from its caller (the repository comes as ports of its own). */
export interface DecideDeps {
  audit: AuditSink;
  clock: Clock;
  log: Logger;
  /** What this instance remembers across use cases: one decision per PR at a time, refusals said. */
  memory: UseCaseMemory;
  /** Called when a write is skipped because it would change nothing (an unchanged check run). */
  writeSkipped?: (kind: "check-run") => void;
  /** Where lifecycle events go (the bot's bus: audit stream, notifications); none when omitted. */
  events?: { emit(event: LifecycleEvent): void };
  /**
   * The Markdown section a policy change's check run ends with: which recent and open requests
   * would now decide differently (the bot replays them; see app/report-policy-impact.ts).
   */
  impact?: (input: PolicyChange) => Promise<string>;
}

/** A policy-change pull request as its impact report needs it. */
export interface PolicyChange {
  repo: RepoPorts;
  number: number;
  head: string;
  baseSha: string;
  base: PreparedBase;
  snapshot: PullSnapshot;
  now: Date;
}

/** Options of one decision. */
export interface DecideOptions {
  /** The head SHA the triggering event announced; if the API shows another, nothing is decided. */
  expectedHead?: string;
  deliveryId?: string;
  /** Ask the people who can still approve for reviews (on open and push, not on every review). */
  requestReviews?: boolean;
  /** The pull request was just opened: a `request-opened` event goes out before its decision's. */
  opened?: boolean;
  /**
   * The pull request as the verified payload (or the open-PR list) shows it: the PR is then not
   * fetched again. It stays fail-closed: the payload is GitHub's, verified on its raw bytes, so only
   * its age is in doubt. A stale head is not the last commit the API lists for the PR, so nothing is
   * decided (HeadNotVisibleError); a check written on an old head never gates the new one (branch
   * protection reads the head's own check); the merge sends `sha` = this head, which GitHub refuses
   * (409) once the head moved; and apply re-verifies the merged commit against the policy it merged
   * onto. The base SHA is what GET showed at the event (a base edit sends its own event). The author
   * never changes; state and draft only gate what GitHub itself refuses (merging a closed PR or a
   * draft); labels grant nothing.
   */
  pull?: PullSummary;
  /**
   * `false`: when the head has no check run yet, report nothing (no check, audit, reviews or merge):
   * the delivery for that head is on its way to some replica, and two creators would make two
   * check runs. Periodic passes pass it for heads they have not seen unchecked before.
   */
  createCheck?: boolean;
}

/** The result of deciding one pull request. */
export interface DecideResult {
  headSha: string;
  decision: Decision | undefined;
  merge?: MergeOutcome;
  skipped?: string;
}

/**
 * Decides a pull request and reports it: reads it through the ports, evaluates it against the base
 * commit's policy, writes the `jitops/approval` check run, audits, requests reviews and auto-merges
 * the approved head. Fails closed: an API error after the head is known writes a non-success check.
 */
export async function decidePull(
  deps: DecideDeps,
  repo: RepoPorts,
  number: number,
  opts: DecideOptions = {},
): Promise<DecideResult> {
  // One decision per PR at a time: a slower, older read must never overwrite a newer decision.
  return deps.memory.decisions.run(`${repo.key}#${number}`, () => decide(deps, repo, number, opts));
}

async function decide(
  deps: DecideDeps,
  repo: RepoPorts,
  number: number,
  opts: DecideOptions,
): Promise<DecideResult> {
  const at = `${repo.repository}#${number}`;
  let head = opts.expectedHead;
  const decidedAt = deps.clock();
  try {
    const pull = await repo.pull(number, {
      ...(opts.expectedHead ? { expectedHead: opts.expectedHead } : {}),
      ...(opts.pull ? { known: opts.pull } : {}),
    });
    head = pull.headSha;
    if (pull.state !== "open")
      return { headSha: head, decision: undefined, skipped: "the pull request is not open" };
    const base = await repo.base(pull.baseSha);
    const dir = await repo.directory(pull.users, teamsToResolve(base, pull.snapshot.files));
    const now = deps.clock();
    const decision = await evaluateInTurns(base, pull.snapshot, dir, now);
    const check = renderCheck(decision, head);
    if (deps.impact && decision.policy && decision.decision !== "invalid") {
      const impact = await deps.impact({
        repo,
        number,
        head,
        baseSha: pull.baseSha,
        base,
        snapshot: pull.snapshot,
        now,
      });
      check.summary = `${check.summary}\n\n${impact}`;
    }
    const written = await repo.writeCheck(head, check, {
      decidedAt,
      ...(opts.createCheck === false ? { create: false } : {}),
      ...(deps.writeSkipped ? { skipped: () => deps.writeSkipped?.("check-run") } : {}),
    });
    if (written === undefined) return { headSha: head, decision: undefined, skipped: NO_CHECK_YET };
    const approverIds = [
      ...decision.requests.flatMap((x) => x.rules),
      ...(decision.policy?.rules ?? []),
    ].flatMap((x) => x.approverIds);
    await deps.audit.write(
      decisionAuditEvent({
        now,
        repository: repo.repository,
        pr: number,
        headSha: head,
        baseSha: pull.baseSha,
        decision,
        approverIds,
        deliveryId: opts.deliveryId,
      }),
    );
    const about = {
      now,
      repository: repo.repository,
      pr: number,
      headSha: head,
      author: pull.author.login,
      decision,
    };
    if (opts.opened && decision.requests.length > 0)
      deps.events?.emit(pullEvent({ type: "request-opened", ...about }));
    deps.events?.emit(decisionEvent(about));
    // The plan changes with the files, not with reviews: refresh it on pull request events only.
    const plan =
      opts.requestReviews && decision.decision !== "invalid"
        ? planComment(base, pull.snapshot, now)
        : undefined;
    if (plan) {
      await repo
        .stickyComment(number, PLAN_MARKER, plan)
        .catch((e: Error) => deps.log.warn(`could not update the plan comment on ${at}: ${e.message}`));
    }
    if (opts.requestReviews && decision.decision === "pending") {
      await repo
        .requestReviews(number, reviewersToRequest(decision, repo.owner, pull.author.login))
        .catch((e: Error) => deps.log.warn(`could not request reviews on ${at}: ${e.message}`));
    }
    // GitHub refuses to merge a draft; it is merged once marked ready for review.
    if (!decision.autoMerge || pull.draft) return { headSha: head, decision };
    const merge = await repo.merge(number, head);
    if (merge.merged) deps.events?.emit(pullEvent({ type: "merged", ...about }));
    // The merge refusal already explained per head: reconcile passes must not repeat the comment.
    const said = `${repo.key}#${number}@${head}`;
    if (!merge.merged && deps.memory.refusals.get(said) !== merge.reason) {
      await repo.comment(number, `jitops did not merge this approved request: ${merge.reason}.`);
      deps.memory.refusals.set(said, merge.reason);
    }
    return { headSha: head, decision, merge };
  } catch (e) {
    if (e instanceof HeadNotVisibleError) {
      deps.log.info(`${at}: ${e.message}`);
      return { headSha: e.expected, decision: undefined, skipped: e.message };
    }
    if (head) await failClosed(deps, repo, head, e as Error, decidedAt, opts.createCheck !== false);
    throw e;
  }
}

async function failClosed(
  deps: DecideDeps,
  repo: RepoPorts,
  head: string,
  error: Error,
  decidedAt: Date,
  create: boolean,
): Promise<void> {
  const summary = `jitops could not read what it needs to decide (${error.message}). No approval is given; the decision is retried on the next event or reconcile.`;
  try {
    await repo.writeCheck(
      head,
      { conclusion: "action_required", title: "Could not decide yet", summary },
      // Written late (after retries): read what is there now, and never replace a newer decision.
      { decidedAt, fresh: true, ...(create ? {} : { create: false }) },
    );
  } catch (e) {
    deps.log.warn(
      `could not write the fail-closed check on ${repo.repository}@${head}: ${(e as Error).message}`,
    );
  }
}
