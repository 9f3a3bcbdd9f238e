import type { Context, Probot } from "probot";
import type { LifecycleBus } from "../app/lifecycle-bus.js";
import { certify } from "../app/certify.js";
import { checkRunImpact } from "../app/report-policy-impact.js";
import { certificationGitHub } from "../github/certification-github.js";
import type { AuditSink } from "../core/audit.js";
import { expiringEvent, grantEvent } from "../core/events/build-events.js";

/** How far ahead the sweeper tells people their access ends. */
const EXPIRING_NOTICE_MS = 30 * 60_000;
import { TicketPatternCache } from "../core/compile-policy.js";
import type { GitHubClient } from "../github/client.js";
import { decidePull, type DecideDeps } from "../github/decide-pull.js";
import { CACHE_BOUNDS, LruCache } from "../github/lru-cache.js";
import type { PullSummary } from "../github/read-pull.js";
import { pullsForHead, reconcileRepo } from "../github/reconcile.js";
import { recoverDeliveries, type RecoveryReport } from "../github/recover-deliveries.js";
import type { RepoRef } from "../github/repo-ref.js";
import type { GrantAuditSink } from "../core/audit-grant.js";
import type { Provider } from "../core/plan/provider.js";
import type { BotMetrics } from "./bot-metrics.js";
import { PR_ACTIONS, pullKey, RECHECK_ACTIONS, REVIEW_ACTIONS } from "./check-payload.js";
import { applyPush } from "../grants/apply-merged-pull.js";
import type { GrantDeps } from "../grants/reconcile-grants.js";
import { sweepExpired } from "../grants/sweep-expired.js";

/** Settings of the jitops Probot app. */
export interface BotOptions {
  audit?: AuditSink;
  now?: () => Date;
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

/**
 * How a pass creates check runs: `direct` (a person or test asked) creates them; `periodic` (a timer on
 * one of N replicas) creates one only for a head it already saw unchecked in its previous pass, so
 * it never races the replica handling that head's delivery into a second check run.
 */
export type PassMode = "direct" | "periodic";

/** The repositories the bot has heard from, with the installation to act as: what the reconcile timer visits. */
export interface KnownRepos {
  list(): { installationId: number; repo: RepoRef }[];
}

const PR_EVENTS = PR_ACTIONS.map((a) => `pull_request.${a}` as const);
const REVIEW_EVENTS = REVIEW_ACTIONS.map((a) => `pull_request_review.${a}` as const);
const RECHECK_EVENTS = RECHECK_ACTIONS.flatMap((a) => [`check_run.${a}`, `check_suite.${a}`] as const);

/** Builds the jitops Probot app: thin handlers that decide a PR and write its `jitops/approval` check. */
export function jitopsApp(options: BotOptions = {}): {
  app: (probot: Probot) => void;
  known: KnownRepos;
  /** Re-decides every open PR; `periodic`: a head seen without a check run for the first time is left to its delivery. */
  reconcileAll: (probot: Probot, pass?: PassMode) => Promise<void>;
  /** Sweeps expiries; `periodic`: a new revert PR is merged by a later pass, once its check run exists. */
  sweepAll: (probot: Probot, pass?: PassMode) => Promise<void>;
  /** Asks GitHub to redeliver the App's deliveries since `since` that never got a successful answer. */
  recoverAll: (probot: Probot, since: Date) => Promise<RecoveryReport>;
  /** Opens due certification pull requests and reminds reviewers, in every known repository. */
  certifyAll: (probot: Probot) => Promise<void>;
  /** Whether a delivery id was handled (or is being handled): its redelivery changes nothing. */
  handled: (id: string) => boolean;
} {
  const seen = new LruCache<true>(CACHE_BOUNDS.deliveries);
  const repos = new Map<string, { installationId: number; repo: RepoRef }>();
  const now = options.now ?? (() => new Date());
  const metrics = options.metrics;
  // One per bot instance: compiled ticket programs are reused across base commits, within its bound.
  const patterns = new TicketPatternCache();
  // A policy change's impact report, per head and base: review events reuse it.
  const impact = checkRunImpact(new LruCache<string>(CACHE_BOUNDS.impact), 90, now);
  // Pull requests (work-queue keys) whose coalesced deliveries asked for reviews to be requested.
  const carried = new Set<string>();
  // Pull requests whose coalesced deliveries included the one that opened them.
  const openedCarried = new Set<string>();
  const deps = (gh: GitHubClient, log: Context["log"]): DecideDeps => {
    const audit = options.audit ?? { write: (event) => log.info({ audit: event }, "jitops audit") };
    return {
      gh,
      now,
      detailsUrl: options.detailsUrl ?? "https://github.com/jitops/jitops#decisions",
      // A decision is audited right after its check run is written: the end of webhook-to-check latency.
      audit: {
        write: (event) => {
          metrics?.decisionWritten(event.deliveryId);
          return audit.write(event);
        },
      },
      log: { info: (m) => log.info(m), warn: (m) => log.warn(m) },
      patterns,
      writeSkipped: (kind) => metrics?.writesSkipped.inc({ kind }),
      ...(options.events ? { events: options.events } : {}),
      impact,
    };
  };

  const grantDeps = (gh: GitHubClient, log: Context["log"]): GrantDeps => ({
    gh,
    now,
    patterns,
    providers: options.providers ?? [],
    log: { info: (m) => log.info(m), warn: (m) => log.warn(m) },
    audit: {
      write: (event) => {
        const outcome = {
          grant: "applied",
          "grant-failed": "failed",
          revoke: "revoked",
          "break-glass": "break-glass",
        };
        metrics?.grants.inc({ provider: event.provider, outcome: outcome[event.kind] });
        options.events?.emit(grantEvent(event));
        return (options.grantAudit ?? { write: (e) => log.info({ audit: e }, "jitops audit") }).write(event);
      },
    },
  });

  /** Runs a handler once per delivery id; a failed one may be redelivered to try again. */
  const once = async (context: Context, work: () => Promise<"coalesced" | unknown>) => {
    if (seen.has(context.id)) {
      context.log.info(`delivery ${context.id} already handled; ignoring the redelivery`);
      return;
    }
    seen.set(context.id, true);
    const payload = context.payload as {
      installation?: { id: number };
      repository?: { name: string; owner: { login: string } };
    };
    if (payload.installation && payload.repository) {
      const repo = { owner: payload.repository.owner.login, repo: payload.repository.name };
      repos.set(`${repo.owner}/${repo.repo}`, { installationId: payload.installation.id, repo });
    }
    // The HTTP answer went out when the delivery was queued: here the work runs to its end.
    await work().then(
      (outcome) =>
        metrics?.deliveryFinished(
          context.id,
          context.name,
          outcome === "coalesced" ? "coalesced" : "succeeded",
        ),
      (e: Error) => {
        seen.delete(context.id);
        metrics?.deliveryFinished(context.id, context.name, "failed");
        context.log.error(`jitops: ${e.message}`);
      },
    );
  };

  /** The delivery's logger: every line of its work names the delivery, repository, PR and head. */
  const logFor = (context: Context, fields: { pr?: number; headSha?: string }): Context["log"] => {
    const repo = (context.payload as { repository?: { full_name?: string } }).repository;
    return context.log.child({ deliveryId: context.id, repository: repo?.full_name, ...fields });
  };

  const app = (probot: Probot) => {
    const keyOf = (context: Context, number: number) => {
      const { owner, repo } = context.repo();
      return pullKey(owner, repo, number);
    };

    /**
     * Decides the PR a pull_request or pull_request_review event names, at the head it announced,
     * from the pull request in the verified payload (no GET of the PR). When a later delivery for the
     * same PR already waits, this one is coalesced into it: that one decides at the newer head.
     */
    const decideFor = (context: Context, pr: PullSummary, requestReviews: boolean, opened = false) =>
      once(context, async () => {
        const key = keyOf(context, pr.number);
        const log = logFor(context, { pr: pr.number, headSha: pr.head.sha });
        if (options.supersededBy?.(key)) {
          if (requestReviews) carried.add(key);
          if (opened) openedCarried.add(key);
          log.info(`jitops: a later delivery for this pull request waits; it decides instead`);
          return "coalesced";
        }
        const ask = carried.delete(key) || requestReviews;
        const isNew = openedCarried.delete(key) || opened;
        return decidePull(deps(context.octokit as unknown as GitHubClient, log), context.repo(), pr.number, {
          expectedHead: pr.head.sha,
          deliveryId: context.id,
          requestReviews: ask,
          opened: isNew,
          pull: pr,
        });
      });

    probot.on(PR_EVENTS, async (context) => {
      const p = context.payload;
      // An edit matters only when it moves the base (the policy then comes from another commit), or
      // when an earlier delivery of this PR was coalesced into it.
      if (
        p.action === "edited" &&
        !("changes" in p && p.changes && "base" in p.changes && p.changes.base) &&
        !carried.has(keyOf(context, p.pull_request.number)) &&
        !options.supersededBy?.(keyOf(context, p.pull_request.number))
      )
        return;
      await decideFor(
        context,
        p.pull_request as unknown as PullSummary,
        p.action !== "edited",
        p.action === "opened",
      );
    });

    probot.on(REVIEW_EVENTS, async (context) => {
      await decideFor(context, context.payload.pull_request as unknown as PullSummary, false);
    });

    probot.on("push", async (context) => {
      const p = context.payload;
      // Grants follow the default branch only; a deleted branch has nothing to apply.
      if (p.ref !== `refs/heads/${p.repository.default_branch}` || p.deleted) return;
      if (!options.providers?.length) {
        logFor(context, { headSha: p.after }).warn(
          "jitops: no cloud providers are configured; the merge grants nothing",
        );
        return;
      }
      await once(context, async () => {
        const { report } = await applyPush(
          grantDeps(context.octokit as unknown as GitHubClient, logFor(context, { headSha: p.after })),
          context.repo(),
          p.after,
        );
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
      await once(context, async () => {
        const gh = context.octokit as unknown as GitHubClient;
        const numbers = listed.length > 0 ? listed : await pullsForHead(gh, context.repo(), sha);
        for (const n of numbers)
          await decidePull(deps(gh, logFor(context, { pr: n, headSha: sha })), context.repo(), n, {
            expectedHead: sha,
            deliveryId: context.id,
          });
      });
    });
  };

  /** Every repository of every installation, plus those heard from: a restart loses nothing. */
  const discover = async (probot: Probot) => {
    try {
      const appClient = (await probot.auth()) as unknown as GitHubClient;
      const installations = await appClient.paginate("GET /app/installations", { per_page: 100 });
      for (const inst of installations) {
        const gh = (await probot.auth(inst.id)) as unknown as GitHubClient;
        const list = await gh.paginate("GET /installation/repositories", { per_page: 100 });
        for (const r of list) {
          const repo = { owner: r.owner.login, repo: r.name };
          repos.set(`${repo.owner}/${repo.repo}`, { installationId: inst.id, repo });
        }
      }
    } catch (e) {
      probot.log.warn(
        `jitops: could not list installations (${(e as Error).message}); visiting known repositories only`,
      );
    }
    return [...repos.values()];
  };

  // Heads the last periodic reconcile found without a check run (`owner/repo#n@sha`): the next one creates theirs.
  let unchecked = new Set<string>();
  const reconcileAll = async (probot: Probot, pass: PassMode = "direct") => {
    const seen = new Set<string>();
    for (const { installationId, repo } of await discover(probot)) {
      const gh = (await probot.auth(installationId)) as unknown as GitHubClient;
      const id = (p: { number: number; headSha: string }) =>
        `${repo.owner}/${repo.repo}#${p.number}@${p.headSha}`;
      const report = await reconcileRepo(
        deps(gh, probot.log),
        repo,
        pass === "periodic" ? { createCheck: (p) => unchecked.has(id(p)) } : {},
      );
      for (const p of report.deferred) seen.add(id(p));
      probot.log.info({ reconcile: report }, "jitops reconcile");
    }
    if (pass === "periodic") unchecked = seen;
  };

  // Bindings the last periodic sweep found missing (`owner/repo:id`): the next one adds them if still missing.
  let unapplied = new Set<string>();
  const sweepAll = async (probot: Probot, pass: PassMode = "direct") => {
    if (!options.providers?.length) return;
    const missing = new Set<string>();
    for (const { installationId, repo } of await discover(probot)) {
      const gh = (await probot.auth(installationId)) as unknown as GitHubClient;
      const id = (binding: string) => `${repo.owner}/${repo.repo}:${binding}`;
      const report = await sweepExpired(
        {
          ...grantDeps(gh, probot.log),
          ...(pass === "periodic" ? { addNow: (b: string) => unapplied.has(id(b)) } : {}),
        },
        deps(gh, probot.log),
        repo,
        pass === "periodic" ? { createCheck: false } : {},
      );
      for (const b of report.deferred) missing.add(id(b));
      // People hear 30 minutes ahead that their access ends (once per binding and end: the event id).
      const at = now().getTime();
      for (const b of report.bindings)
        if (Date.parse(b.notAfter) > at && Date.parse(b.notAfter) <= at + EXPIRING_NOTICE_MS)
          options.events?.emit(
            expiringEvent({
              now: now(),
              repository: `${repo.owner}/${repo.repo}`,
              commit: report.headSha,
              binding: b,
            }),
          );
      probot.log.info({ sweep: { ...report, plan: undefined, bindings: undefined } }, "jitops sweep");
    }
    if (pass === "periodic") unapplied = missing;
  };

  const certifyAll = async (probot: Probot) => {
    for (const { installationId, repo } of await discover(probot)) {
      const gh = (await probot.auth(installationId)) as unknown as GitHubClient;
      const report = await certify(certificationGitHub(gh, repo, deps(gh, probot.log), patterns), {
        repository: `${repo.owner}/${repo.repo}`,
        now: now(),
        dueOnly: true,
        ...(options.events ? { emit: (e) => options.events!.emit(e) } : {}),
      });
      probot.log.info({ certify: report }, "jitops certify");
    }
  };

  const recoverAll = async (probot: Probot, since: Date) => {
    // The deliveries API takes the App's JWT, not an installation token.
    const appClient = (await probot.auth()) as unknown as GitHubClient;
    const report = await recoverDeliveries(appClient, { since });
    metrics?.redeliveries.inc({ outcome: "requested" }, report.redelivered.length);
    if (report.redelivered.length > 0 || report.givenUp.length > 0)
      probot.log.info(
        { recovery: { attempts: report.attempts, redelivered: report.redelivered, givenUp: report.givenUp } },
        `jitops: asked GitHub to redeliver ${report.redelivered.length} failed deliveries`,
      );
    return report;
  };

  return {
    app,
    known: { list: () => [...repos.values()] },
    reconcileAll,
    sweepAll,
    recoverAll,
    certifyAll,
    handled: (id) => seen.has(id),
  };
}
