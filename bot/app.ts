import type { Context, Probot } from "probot";
import { applyPush } from "../app/apply-push.js";
import { decidePull } from "../app/decide-pull.js";
import type { LifecycleBus } from "../app/lifecycle-bus.js";
import type { PullSummary } from "../app/ports.js";
import { pullsForHead } from "../app/reconcile-pulls.js";
import type { AuditSink } from "../core/audit.js";
import type { GrantAuditSink } from "../core/audit-grant.js";
import type { Clock } from "../core/clock.js";
import type { Provider } from "../core/plan/provider.js";
import { GitHubInstance } from "../github/github-instance.js";
import type { BotMetrics } from "./bot-metrics.js";
import { PR_ACTIONS, pullKey, RECHECK_ACTIONS, REVIEW_ACTIONS } from "./check-payload.js";
import { Deliveries, deliveryLog } from "./deliveries.js";
import { Installations } from "./installations.js";
import { botPasses, type BotPasses } from "./passes.js";
import { probotClient } from "./probot-client.js";
import { botUseCaseDeps } from "./use-case-deps.js";

export type { KnownRepos } from "./installations.js";
export type { PassMode } from "./passes.js";

/** Settings of the jitops Probot app. */
export interface BotOptions {
  audit?: AuditSink;
  now?: Clock;
  detailsUrl?: string;
  /** Clouds to grant in; without any, merges grant nothing and the bot only decides. */
  providers?: Provider[];
  /** Where grant, revoke and break-glass audit events go; default: the app's logger. */
  grantAudit?: GrantAuditSink;
  /** Counts deliveries, decisions and grants; none when omitted. */
  metrics?: BotMetrics;
  /** Lifecycle events (decisions, grants, revokes, expiries) go here: the audit stream and notifications subscribe. */
  events?: LifecycleBus;
  /**
   * Whether another delivery that decides this pull request (work-queue key) waits behind the one
   * running: the running one is then coalesced into it, so a burst is decided once, at its latest head.
   */
  supersededBy?: (key: string) => boolean;
}

const PR_EVENTS = PR_ACTIONS.map((a) => `pull_request.${a}` as const);
const REVIEW_EVENTS = REVIEW_ACTIONS.map((a) => `pull_request_review.${a}` as const);
const RECHECK_EVENTS = RECHECK_ACTIONS.flatMap((a) => [`check_run.${a}`, `check_suite.${a}`] as const);

/**
 * Builds the jitops Probot app: it maps each webhook event to its use case (decide a pull request,
 * apply a push to the default branch) and nothing else. The instance (clock, caches, memory), the
 * deliveries handled, the repositories known and the periodic passes live in their own modules.
 */
export function jitopsApp(options: BotOptions = {}): BotPasses & {
  app: (probot: Probot) => void;
  known: Installations;
  instance: GitHubInstance;
  /** Whether a delivery id was handled (or is being handled): its redelivery changes nothing. */
  handled: (id: string) => boolean;
} {
  const instance = new GitHubInstance(options.now, options.detailsUrl);
  const installations = new Installations(instance);
  const deliveries = new Deliveries(options.metrics);
  const providers = options.providers ?? [];
  const useCases = botUseCaseDeps({
    instance,
    providers,
    ...(options.audit ? { audit: options.audit } : {}),
    ...(options.grantAudit ? { grantAudit: options.grantAudit } : {}),
    ...(options.events ? { events: options.events } : {}),
    ...(options.metrics ? { metrics: options.metrics } : {}),
  });
  // Pull requests (work-queue keys) whose coalesced deliveries asked for reviews, or opened them.
  const carried = new Set<string>();
  const openedCarried = new Set<string>();

  /** The delivery's repository, as ports and use-case dependencies acting as its installation. */
  const contextOf = (context: Context, fields: { pr?: number; headSha?: string }) => {
    const p = context.payload as { installation?: { id: number } };
    const r = context.repo();
    if (p.installation) installations.note(p.installation.id, r);
    const s = instance.session(probotClient(context.octokit), p.installation?.id);
    return {
      repo: instance.repo(s, r),
      ...useCases(s, r, deliveryLog(context, fields)),
    };
  };

  const app = (probot: Probot) => {
    /**
     * Decides the PR a pull_request or pull_request_review event names, at the head it announced,
     * from the pull request in the verified payload (no GET of the PR). When a later delivery for the
     * same PR already waits, this one is coalesced into it: that one decides at the newer head.
     */
    const decideFor = (context: Context, pr: PullSummary, requestReviews: boolean, opened = false) =>
      deliveries.once(context, async () => {
        const key = keyOf(context, pr.number);
        const { repo, decide } = contextOf(context, { pr: pr.number, headSha: pr.head.sha });
        if (options.supersededBy?.(key)) {
          if (requestReviews) carried.add(key);
          if (opened) openedCarried.add(key);
          decide.log.info(`jitops: a later delivery for this pull request waits; it decides instead`);
          return "coalesced";
        }
        return decidePull(decide, repo, pr.number, {
          expectedHead: pr.head.sha,
          deliveryId: context.id,
          requestReviews: carried.delete(key) || requestReviews,
          opened: openedCarried.delete(key) || opened,
          pull: pr,
        });
      });

    probot.on(PR_EVENTS, async (context) => {
      const p = context.payload;
      const key = keyOf(context, p.pull_request.number);
      // An edit matters only when it moves the base (the policy then comes from another commit), or
      // when an earlier delivery of this PR was coalesced into it.
      const movesBase = "changes" in p && p.changes && "base" in p.changes && p.changes.base;
      if (p.action === "edited" && !movesBase && !carried.has(key) && !options.supersededBy?.(key)) return;
      const pr: PullSummary = p.pull_request;
      await decideFor(context, pr, p.action !== "edited", p.action === "opened");
    });

    probot.on(REVIEW_EVENTS, async (context) => {
      await decideFor(context, context.payload.pull_request, false);
    });

    probot.on("push", async (context) => {
      const p = context.payload;
      // Grants follow the default branch only; a deleted branch has nothing to apply.
      if (p.ref !== `refs/heads/${p.repository.default_branch}` || p.deleted) return;
      if (providers.length === 0) {
        deliveryLog(context, { headSha: p.after }).warn(
          "jitops: no cloud providers are configured; the merge grants nothing",
        );
        return;
      }
      await deliveries.once(context, async () => {
        const { repo, grants } = contextOf(context, { headSha: p.after });
        const { report } = await applyPush(grants, repo, p.after);
        // A partial apply is a failed delivery: a redelivery then retries it, as the next sweep would.
        if (report.failed.length > 0)
          throw new Error(
            `${report.failed.length} change(s) of ${p.after.slice(0, 12)} failed: ${report.failed.map((f) => f.id).join(", ")}`,
          );
      });
    });

    probot.on(RECHECK_EVENTS, async (context) => {
      const p = context.payload;
      const sha = "check_run" in p ? p.check_run.head_sha : p.check_suite.head_sha;
      const listed = ("check_run" in p ? p.check_run.pull_requests : p.check_suite.pull_requests).map(
        (x) => x.number,
      );
      await deliveries.once(context, async () => {
        const { repo } = contextOf(context, { headSha: sha });
        const numbers = listed.length > 0 ? listed : await pullsForHead(repo, sha);
        for (const n of numbers) {
          const { decide } = contextOf(context, { pr: n, headSha: sha });
          await decidePull(decide, repo, n, { expectedHead: sha, deliveryId: context.id });
        }
      });
    });
  };

  return {
    app,
    known: installations,
    instance,
    ...botPasses({ instance, installations, useCases, grants: providers.length > 0, ...metricsOf(options) }),
    handled: (id) => deliveries.handled(id),
  };
}

function keyOf(context: Context, number: number): string {
  const { owner, repo } = context.repo();
  return pullKey(owner, repo, number);
}

function metricsOf(options: BotOptions): { metrics?: BotMetrics } {
  return options.metrics ? { metrics: options.metrics } : {};
}
