import type { Context, Probot } from "probot";
import type { AuditSink } from "../core/audit.js";
import type { GitHubClient } from "../github/client.js";
import { decidePull, type DecideDeps } from "../github/decide-pull.js";
import { CACHE_BOUNDS, LruCache } from "../github/lru-cache.js";
import { pullsForHead, reconcileRepo } from "../github/reconcile.js";
import type { RepoRef } from "../github/repo-ref.js";
import type { GrantAuditSink } from "../core/audit-grant.js";
import type { Provider } from "../core/plan/provider.js";
import type { BotMetrics } from "./bot-metrics.js";
import { PR_ACTIONS, RECHECK_ACTIONS, REVIEW_ACTIONS } from "./check-payload.js";
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
}

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
  reconcileAll: (probot: Probot) => Promise<void>;
  sweepAll: (probot: Probot) => Promise<void>;
  /** Whether a delivery id was handled (or is being handled): its redelivery changes nothing. */
  handled: (id: string) => boolean;
} {
  const seen = new LruCache<true>(CACHE_BOUNDS.deliveries);
  const repos = new Map<string, { installationId: number; repo: RepoRef }>();
  const now = options.now ?? (() => new Date());
  const metrics = options.metrics;
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
    };
  };

  const grantDeps = (gh: GitHubClient, log: Context["log"]): GrantDeps => ({
    gh,
    now,
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
        return (options.grantAudit ?? { write: (e) => log.info({ audit: e }, "jitops audit") }).write(event);
      },
    },
  });

  /** Runs a handler once per delivery id; a failed one may be redelivered to try again. */
  const once = async (context: Context, work: () => Promise<unknown>) => {
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
      () => metrics?.deliveryFinished(context.id, context.name, "succeeded"),
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
    /** Decides the PR a pull_request or pull_request_review event names, at the head it announced. */
    const decideFor = (
      context: Context,
      pr: { number: number; head: { sha: string } },
      requestReviews: boolean,
    ) =>
      once(context, () =>
        decidePull(
          deps(
            context.octokit as unknown as GitHubClient,
            logFor(context, { pr: pr.number, headSha: pr.head.sha }),
          ),
          context.repo(),
          pr.number,
          {
            expectedHead: pr.head.sha,
            deliveryId: context.id,
            requestReviews,
          },
        ),
      );

    probot.on(PR_EVENTS, async (context) => {
      const p = context.payload;
      // An edit matters only when it moves the base: the policy then comes from another commit.
      if (p.action === "edited" && !("changes" in p && p.changes && "base" in p.changes && p.changes.base))
        return;
      await decideFor(context, p.pull_request, p.action !== "edited");
    });

    probot.on(REVIEW_EVENTS, async (context) => {
      await decideFor(context, context.payload.pull_request, false);
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

  const reconcileAll = async (probot: Probot) => {
    for (const { installationId, repo } of await discover(probot)) {
      const gh = (await probot.auth(installationId)) as unknown as GitHubClient;
      const report = await reconcileRepo(deps(gh, probot.log), repo);
      probot.log.info({ reconcile: report }, "jitops reconcile");
    }
  };

  const sweepAll = async (probot: Probot) => {
    if (!options.providers?.length) return;
    for (const { installationId, repo } of await discover(probot)) {
      const gh = (await probot.auth(installationId)) as unknown as GitHubClient;
      const report = await sweepExpired(grantDeps(gh, probot.log), deps(gh, probot.log), repo);
      probot.log.info({ sweep: { ...report, plan: undefined } }, "jitops sweep");
    }
  };

  return {
    app,
    known: { list: () => [...repos.values()] },
    reconcileAll,
    sweepAll,
    handled: (id) => seen.has(id),
  };
}
