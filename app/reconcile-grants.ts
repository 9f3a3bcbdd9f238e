import { fileStem } from "../core/check-request.js";
import type { Clock } from "../core/clock.js";
import { providerOf, type Binding, type ProviderName } from "../core/plan/binding.js";
import { desiredBindings, type MergedRequest } from "../core/plan/desired-bindings.js";
import { diffBindings, type ActualBinding, type Plan } from "../core/plan/diff-bindings.js";
import type { Provider, ProviderReport } from "../core/plan/provider.js";
import { scopeOf } from "../core/plan/provider.js";
import { grantAuditEvent, type GrantAuditEvent, type GrantAuditSink } from "../core/audit-grant.js";
import { grantEvent } from "../core/events/build-events.js";
import type { LifecycleEvent } from "../core/events/lifecycle-event.js";
import { removalsToApply } from "../core/plan/keep-uncertain.js";
import type { Logger, RepoPorts } from "./ports.js";
import type { UseCaseMemory } from "./use-case-memory.js";
import { verifyMerge } from "./verify-merge.js";
import { withTimeout } from "./with-timeout.js";

/** How long one provider may take to list or apply before the reconcile reports it failed. */
export const DEFAULT_TIMEOUT_MS = 120_000;

/** What reconciling grants needs. */
export interface GrantDeps {
  providers: Provider[];
  clock: Clock;
  log: Logger;
  /** What this instance remembers (merge verdicts). */
  memory: UseCaseMemory;
  /** Every binding granted, revoked or failed is an audit event. */
  audit?: GrantAuditSink;
  /** Where lifecycle events go (grants, revokes, failures, break-glass, expiry notices); none when omitted. */
  events?: { emit(event: LifecycleEvent): void };
  /** How long one provider may take to list or apply (default 2 minutes). */
  timeoutMs?: number;
  /**
   * Whether a missing binding is added now (default: always). A periodic pass of a replicated bot
   * adds one only on its second sighting: the push delivery of a fresh merge is adding it on some
   * replica, and two adders would both write.
   */
  addNow?: (bindingId: string) => boolean;
}

/** The outcome of one reconcile of the cloud against Git. */
export interface GrantReport {
  headSha: string;
  plan: Plan;
  done: string[];
  /** Binding ids that failed, and the name of each provider that could not be listed (nothing written there). */
  failed: { id: string; error: string }[];
  /** Requests whose merge could not be verified: granted nothing, removed nothing (retried next time). */
  unverified: { path: string; reason: string }[];
  /** Expired requests still in Git: path, name, expiry, and the PR that granted them. */
  expired: { path: string; name: string; expiredAt: string; originalPr?: number }[];
  defaultBranch: string;
  /** Every binding Git declares now (granted or not yet due), for what looks ahead (expiry notices). */
  bindings: Binding[];
  /** Missing bindings not added this pass (`addNow` said wait): the next pass adds them if still missing. */
  deferred: string[];
}

/**
 * Makes the cloud hold exactly the bindings Git declares on the default branch: adds missing and
 * extended ones (only for merges re-verified as approved), removes expired ones and jitops-made
 * ones no request declares, and lists expired requests for their revert PRs. Convergent and
 * idempotent: a lost webhook, a crash half way or a retry all end in the same state.
 */
export async function reconcileGrants(deps: GrantDeps, repo: RepoPorts): Promise<GrantReport> {
  const now = deps.clock();
  const timeoutMs = deps.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const { name: defaultBranch, headSha } = await repo.defaultBranch();
  const base = await repo.base(headSha);
  const policy = base.loaded.policy;
  const unverified: GrantReport["unverified"] = [];
  const merged: MergedRequest[] = [];
  const origin = new Map<string, { path: string; pr?: number }>();
  const uncertain = new Set<string>();
  if (policy) {
    for (const req of await repo.mergedRequests(headSha, policy)) {
      const name = fileStem(req.path);
      origin.set(name, { path: req.path });
      if (!req.checked) {
        unverified.push({
          path: req.path,
          reason: req.errors.map((e) => `${e.code}: ${e.message}`).join("; "),
        });
        continue;
      }
      try {
        const verdict = await verifyMerge(deps.memory, repo, req.commit.sha);
        origin.set(name, { path: req.path, ...(verdict.pr ? { pr: verdict.pr.number } : {}) });
        if (!verdict.granted) {
          unverified.push({ path: req.path, reason: verdict.reason });
          continue;
        }
        merged.push({
          checked: req.checked,
          requester: verdict.pr?.author ?? req.commit.author ?? "",
          mergedAt: req.commit.date,
        });
      } catch (e) {
        uncertain.add(name);
        unverified.push({ path: req.path, reason: `could not verify the merge: ${(e as Error).message}` });
      }
    }
  } else {
    deps.log.warn(
      "the policy on the default branch has errors: no grants are added until it is fixed; expired ones are still removed",
    );
  }
  const { bindings, unbindable } = desiredBindings(merged, policy ?? emptyPolicy());
  for (const u of unbindable)
    unverified.push({ path: origin.get(u.requestId)?.path ?? u.requestId, reason: u.reason });

  const scopes = scopesByProvider(
    policy?.source.entitlements.flatMap((e) => e.grants.map((grant) => ({ grant }))) ?? [],
    bindings,
  );
  const actual: ActualBinding[] = [];
  const unreadable = new Map<ProviderName, string>();
  for (const p of deps.providers) {
    try {
      actual.push(
        ...(await withTimeout(`listing ${p.name}`, timeoutMs, p.list([...(scopes.get(p.name) ?? [])]))),
      );
    } catch (e) {
      // One cloud failing to answer must not hold back the others; its changes wait for the next run.
      unreadable.set(p.name, (e as Error).message);
      deps.log.warn(`could not list the ${p.name} bindings: ${(e as Error).message}`);
    }
  }
  const plan = diffBindings(bindings, actual, now);
  const deferred = deps.addNow ? plan.add.filter((b) => !deps.addNow!(b.id)).map((b) => b.id) : [];
  if (deferred.length > 0) plan.add = plan.add.filter((b) => !deferred.includes(b.id));
  plan.remove = removalsToApply(plan.remove, now, policy !== undefined, uncertain);

  const report: GrantReport = {
    headSha,
    plan,
    done: [],
    failed: [],
    unverified,
    expired: [],
    defaultBranch,
    bindings,
    deferred,
  };
  for (const p of deps.providers) {
    const put = [...plan.add, ...plan.update].filter((b) => b.provider === p.name);
    const remove = plan.remove.filter((a) => a.provider === p.name);
    const unread = unreadable.get(p.name);
    if (unread !== undefined) {
      // What it holds is unknown, so nothing is written there, and whatever it should lose stays: a failure.
      const error = `could not list the ${p.name} bindings: ${unread}`;
      report.failed.push({ id: p.name, error }, ...put.map((b) => ({ id: b.id, error })));
      continue;
    }
    if (put.length + remove.length === 0) continue;
    const res = await withTimeout(`${p.name}`, timeoutMs, p.reconcile({ put, remove })).catch(
      (e: Error): ProviderReport => ({
        done: [],
        failed: [...put, ...remove].map((b) => ({ id: b.id, error: e.message })),
      }),
    );
    report.done.push(...res.done);
    report.failed.push(...res.failed);
    {
      const at = { now, repository: repo.repository, commit: headSha };
      const failed = new Map(res.failed.map((f) => [f.id, f.error]));
      for (const b of put) {
        const prNumber = origin.get(b.requestId)?.pr;
        const pr = prNumber !== undefined ? { pr: prNumber } : {};
        if (res.done.includes(b.id))
          await recordGrant(deps, grantAuditEvent({ ...at, ...pr, kind: "grant", binding: b }));
        else if (failed.has(b.id))
          await recordGrant(
            deps,
            grantAuditEvent({ ...at, ...pr, kind: "grant-failed", binding: b, detail: failed.get(b.id)! }),
          );
      }
      for (const a of remove) {
        if (res.done.includes(a.id))
          await recordGrant(deps, grantAuditEvent({ ...at, kind: "revoke", binding: a }));
      }
    }
  }
  const expiredNames = new Map<string, string>();
  for (const b of plan.expired) expiredNames.set(b.requestId, b.notAfter);
  for (const [name, expiredAt] of expiredNames) {
    const o = origin.get(name);
    if (o) report.expired.push({ path: o.path, name, expiredAt, ...(o.pr ? { originalPr: o.pr } : {}) });
  }
  return report;
}

function scopesByProvider(
  grants: Pick<Binding, "grant">[],
  bindings: Binding[],
): Map<ProviderName, Set<string>> {
  const out = new Map<ProviderName, Set<string>>();
  for (const b of [...grants, ...bindings]) {
    const p = providerOf(b.grant);
    (out.get(p) ?? out.set(p, new Set()).get(p)!).add(scopeOf(b));
  }
  return out;
}

function emptyPolicy() {
  return {
    source: { principals: {}, policyOwners: [], entitlements: [], workloads: [] },
    entitlements: new Map(),
    principalOwners: new Map(),
  };
}

/** A change to the cloud is audited and announced as a lifecycle event (grant, revoke, failure, break-glass). */
export async function recordGrant(deps: GrantDeps, event: GrantAuditEvent): Promise<void> {
  deps.events?.emit(grantEvent(event));
  await deps.audit?.write(event);
}
