import type { GitHubClient } from "./client.js";
import { decidePull, NO_CHECK_YET, type DecideDeps } from "./decide-pull.js";
import { fullName, type RepoRef } from "./repo-ref.js";

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
  r: RepoRef,
  opts: ReconcileOptions = {},
): Promise<ReconcileReport> {
  const report: ReconcileReport = { repository: fullName(r), open: 0, decided: 0, failed: [], deferred: [] };
  for await (const page of deps.gh.paginate.iterator("GET /repos/{owner}/{repo}/pulls", {
    ...r,
    state: "open",
    per_page: 100,
  })) {
    for (const pull of page.data) {
      report.open++;
      try {
        const create = opts.createCheck?.({ number: pull.number, headSha: pull.head.sha }) ?? true;
        const res = await decidePull(deps, r, pull.number, {
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

/** Finds the open pull requests whose head is `sha` (check runs of fork PRs list none). */
export async function pullsForHead(gh: GitHubClient, r: RepoRef, sha: string): Promise<number[]> {
  const pulls = await gh.paginate("GET /repos/{owner}/{repo}/pulls", { ...r, state: "open", per_page: 100 });
  return pulls.filter((p) => p.head.sha === sha).map((p) => p.number);
}
