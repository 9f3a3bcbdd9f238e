import type { Context } from "probot";
import type { DecideDeps } from "../app/decide-pull.js";
import type { LifecycleBus } from "../app/lifecycle-bus.js";
import type { GrantDeps } from "../app/reconcile-grants.js";
import { checkRunImpact } from "../app/report-policy-impact.js";
import type { AuditSink } from "../core/audit.js";
import type { GrantAuditSink } from "../core/audit-grant.js";
import { CACHE_BOUNDS, LruCache } from "../core/lru-cache.js";
import type { Provider } from "../core/plan/provider.js";
import type { GitHubSession } from "../github/github-caches.js";
import type { GitHubInstance } from "../github/github-instance.js";
import { githubImpactPorts } from "../github/impact-history.js";
import type { RepoRef } from "../github/repo-ref.js";
import type { BotMetrics } from "./bot-metrics.js";

/** What the bot's use cases are wired to: its sinks, its clouds and its metrics. */
export interface UseCaseWiring {
  instance: GitHubInstance;
  audit?: AuditSink;
  grantAudit?: GrantAuditSink;
  events?: LifecycleBus;
  metrics?: BotMetrics;
  providers: Provider[];
}

const GRANT_OUTCOME = {
  grant: "applied",
  "grant-failed": "failed",
  revoke: "revoked",
  "break-glass": "break-glass",
};

/**
 * The dependencies of the bot's use cases for one repository and one logger: its instance's clock
 * and memory, the audit sinks (the logger's by default), lifecycle events, metrics, and the policy
 * impact report (one cache per bot: review events reuse a head's report).
 */
export function botUseCaseDeps(
  w: UseCaseWiring,
): (s: GitHubSession, r: RepoRef, log: Context["log"]) => { decide: DecideDeps; grants: GrantDeps } {
  const impactCache = new LruCache<string>(CACHE_BOUNDS.impact, Infinity, w.instance.clock);
  const { instance, metrics } = w;
  return (s, r, log) => {
    const audit = w.audit ?? { write: (event) => log.info({ audit: event }, "jitops audit") };
    const grantAudit = w.grantAudit ?? { write: (e) => log.info({ audit: e }, "jitops audit") };
    const logger = { info: (m: string) => log.info(m), warn: (m: string) => log.warn(m) };
    const events = w.events ? { events: w.events } : {};
    return {
      decide: {
        clock: instance.clock,
        memory: instance.memory,
        log: logger,
        // A decision is audited right after its check run is written: the end of webhook-to-check latency.
        audit: {
          write: (event) => {
            metrics?.decisionWritten(event.deliveryId);
            return audit.write(event);
          },
        },
        writeSkipped: (kind) => metrics?.writesSkipped.inc({ kind }),
        impact: checkRunImpact(impactCache, (history) => githubImpactPorts(s, r, history), instance.clock),
        ...events,
      },
      grants: {
        clock: instance.clock,
        memory: instance.memory,
        log: logger,
        providers: w.providers,
        audit: {
          write: (event) => {
            metrics?.grants.inc({ provider: event.provider, outcome: GRANT_OUTCOME[event.kind] });
            return grantAudit.write(event);
          },
        },
        ...events,
      },
    };
  };
}
