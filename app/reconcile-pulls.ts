import { decidePull, NO_CHECK_YET, type DecideDeps } from "./decide-pull.js";
import type { RepoPorts } from "./ports.js";

/** What one reconcile pass did. */
export interface ReconcileReport {
  repository: string;
  open: number;
  decided: number;
  failed: { number: number; error: string }[];
  /** Open PRs whose head had no check run and `createCheck` said not to create one this pass. */
  deferred: { number: number; headSha: string }[];
}

/** Options of a reconcile pass. */
export interface ReconcileOptions {
  /** Whether a PR whose head has no check run yet gets one now (default: always). */
  createCheck?: (pull: { number: number; headSha: string }) => boolean;
}

/**
 * Re-decides every open pull request, one page of 100 at a time. GitHub never retries a lost
 * delivery, so this is what turns a lost webhook into a delay rather than a lost decision. Each PR
 * is decided from its item in the list (no GET of the PR); with conditional requests the list and an
 * unchanged PR's reviews are answered 304 (not counted), head data, base policy and check-run
 * digests are cached, so an unchanged PR costs no counted call and no write.
 */
export async function reconcileRepo(
  deps: DecideDeps,
  repo: RepoPorts,
  opts: ReconcileOptions = {},
): Promise<ReconcileReport> {
  const report: ReconcileReport = {
    repository: repo.repository,
    open: 0,
    decided: 0,
    failed: [],
    deferred: [],
  };
  for await (const page of repo.openPulls()) {
    for (const pull of page) {
      report.open++;
      try {
        const create = opts.createCheck?.({ number: pull.number, headSha: pull.head.sha }) ?? true;
        const res = await decidePull(deps, repo, pull.number, {
          expectedHead: pull.head.sha,
          pull,
          ...(create ? {} : { createCheck: false }),
        });
        if (res.decision) report.decided++;
        if (res.skipped === NO_CHECK_YET)
          report.deferred.push({ number: pull.number, headSha: pull.head.sha });
      } catch (e) {
        report.failed.push({ number: pull.number, error: (e as Error).message });
      }
    }
  }
  return report;
}

/** The open pull requests whose head is `sha` (check runs of fork PRs list none). */
export async function pullsForHead(repo: RepoPorts, sha: string): Promise<number[]> {
  const numbers: number[] = [];
  for await (const page of repo.openPulls())
    for (const p of page) if (p.head.sha === sha) numbers.push(p.number);
  return numbers;
}
