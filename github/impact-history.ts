import { isRequestPath } from "../core/check-request.js";
import type { ChangedFile, Review } from "../core/evaluate/pull-snapshot.js";
import type { ReplayCoverage, ReplayRequest } from "../core/impact/replay-input.js";
import type { PolicyImpactPorts } from "../app/report-policy-impact.js";
import type { GitHubClient } from "./client.js";
import type { Clock } from "../core/clock.js";
import type { GitHubSession } from "./github-caches.js";
import { readDirectory } from "./read-directory.js";
import type { ApiUser } from "../app/ports.js";
import { readFileAt } from "./read-file.js";
import type { RepoRef } from "./repo-ref.js";

/** Bounds of one replay: GitHub's check run must not wait on a long history. */
export interface ImpactBounds {
  /** Most request pull requests replayed, merged and open together (default 100). */
  maxRequests: number;
  /** Most pages of 100 closed pull requests listed (default 10). */
  maxPages: number;
  /** Most milliseconds spent reading, by the caller's clock (default 20 s). */
  maxMs: number;
}

/** Default bounds: about 100 × 4 reads, well inside a webhook's and the API's limits. */
export const IMPACT_BOUNDS: ImpactBounds = { maxRequests: 100, maxPages: 10, maxMs: 20_000 };

/** What to read. */
export interface ImpactHistoryOptions {
  /** Merged since this time (RFC 3339 or Date). */
  since: Date;
  /** The clock, for the time bound. */
  now: Clock;
  /** The branch requests merge into (the default branch); other bases are skipped. */
  baseRef?: string;
  /** Pull requests not to replay (the policy change itself). */
  exclude?: number[];
  bounds?: Partial<ImpactBounds>;
}

/** The replay input read from GitHub: requests with their reviews, the users met, and how far it got. */
export interface ImpactHistory {
  requests: ReplayRequest[];
  /** Authors, commit authors and reviewers, for the directory. */
  users: ApiUser[];
  coverage: ReplayCoverage;
}

interface ListedPull {
  number: number;
  state: string;
  user: { login: string; id: number; type?: string } | null;
  updated_at: string;
  merged_at: string | null;
  merge_commit_sha: string | null;
  head: { sha: string };
  base: { ref: string };
}

/**
 * Reads the request pull requests merged since `since` (newest first) and the open ones: their
 * request files (at the merge commit, or the open head), commits, and reviews as they stood at the
 * merge. Closed pull requests are listed by last update, so the listing stops at the first page
 * wholly older than `since`. Reads go through the client, so its conditional-request cache answers
 * unchanged lists and files with 304s. Stops at the bounds and says so in the coverage (partial).
 */
export async function readImpactHistory(
  s: GitHubSession,
  r: RepoRef,
  opts: ImpactHistoryOptions,
): Promise<ImpactHistory> {
  const bounds = { ...IMPACT_BOUNDS, ...opts.bounds };
  const started = opts.now().getTime();
  const since = opts.since.getTime();
  const skip = new Set(opts.exclude ?? []);
  const wanted = (p: ListedPull) => !skip.has(p.number) && (!opts.baseRef || p.base.ref === opts.baseRef);
  let partial: ReplayCoverage["partial"];

  const merged: ListedPull[] = [];
  let page = 1;
  for (; page <= bounds.maxPages; page++) {
    const list = await listPulls(s.gh, r, "closed", page);
    for (const p of list) if (p.merged_at && Date.parse(p.merged_at) >= since && wanted(p)) merged.push(p);
    // Sorted by last update, newest first: merged_at <= updated_at, so older pages hold nothing newer.
    if (list.length < 100 || list.every((p) => Date.parse(p.updated_at) < since)) break;
  }
  if (page > bounds.maxPages)
    partial = {
      reason: "pages",
      message: `listed the ${bounds.maxPages * 100} most recently updated closed pull requests only`,
    };
  merged.sort((a, b) => Date.parse(b.merged_at!) - Date.parse(a.merged_at!));
  const open: ListedPull[] = [];
  for (let p = 1; p <= bounds.maxPages; p++) {
    const list = await listPulls(s.gh, r, "open", p);
    open.push(...list.filter(wanted));
    if (list.length < 100) break;
  }

  const requests: ReplayRequest[] = [];
  const users = new Map<number, ApiUser>();
  const meet = (u: { login: string; id: number; type?: string } | null | undefined) => {
    if (u) users.set(Number(u.id), { login: u.login, id: Number(u.id), ...(u.type ? { type: u.type } : {}) });
  };
  const candidates = [...merged, ...open];
  let read = 0;
  for (const p of candidates) {
    if (requests.length >= bounds.maxRequests) {
      partial = {
        reason: "requests",
        message: `replayed the ${bounds.maxRequests} most recent request pull requests of ${candidates.length} candidates`,
      };
      break;
    }
    if (opts.now().getTime() - started > bounds.maxMs) {
      partial = {
        reason: "time",
        message: `stopped after ${Math.round(bounds.maxMs / 1000)}s, having looked at ${read} of ${candidates.length} pull requests`,
      };
      break;
    }
    read++;
    const request = await readRequestPull(s, r, p, meet, new Date(started));
    if (request) requests.push(request);
  }
  return {
    requests,
    users: [...users.values()],
    coverage: {
      since: opts.since.toISOString(),
      reviews: true,
      openPulls: true,
      ...(partial ? { partial } : {}),
    },
  };
}

async function listPulls(gh: GitHubClient, r: RepoRef, state: "open" | "closed", page: number) {
  const res = await gh.request("GET /repos/{owner}/{repo}/pulls", {
    ...r,
    state,
    sort: "updated",
    direction: "desc",
    per_page: 100,
    page,
  });
  return res.data as unknown as ListedPull[];
}

const STATUS: Record<string, ChangedFile["status"]> = {
  added: "added",
  removed: "removed",
  renamed: "renamed",
};

/** One pull request as replay input, or undefined when it adds or changes no request file. */
async function readRequestPull(
  s: GitHubSession,
  r: RepoRef,
  p: ListedPull,
  meet: (u: { login: string; id: number; type?: string } | null | undefined) => void,
  now: Date,
): Promise<ReplayRequest | undefined> {
  const number = p.number;
  const files = await s.gh.paginate("GET /repos/{owner}/{repo}/pulls/{pull_number}/files", {
    ...r,
    pull_number: number,
    per_page: 100,
  });
  const touches = files.some((f) => isRequestPath(f.filename) && f.status !== "removed");
  if (!touches || !p.user) return undefined;
  const isMerged = p.merged_at !== null;
  // The files as merged (the merge commit), or as the open head shows them now.
  const at = isMerged && p.merge_commit_sha ? p.merge_commit_sha : p.head.sha;
  const changed = await Promise.all(
    files.map(async (f): Promise<ChangedFile> => {
      const status = STATUS[f.status] ?? "modified";
      const content =
        status !== "removed" && isRequestPath(f.filename)
          ? await readFileAt(s, r, f.filename, at)
          : undefined;
      return {
        path: f.filename,
        status,
        ...(content !== undefined ? { content } : {}),
        ...(f.previous_filename ? { previousPath: f.previous_filename } : {}),
      };
    }),
  );
  const commits = await s.gh.paginate("GET /repos/{owner}/{repo}/pulls/{pull_number}/commits", {
    ...r,
    pull_number: number,
    per_page: 100,
  });
  const reviews = await s.gh.paginate("GET /repos/{owner}/{repo}/pulls/{pull_number}/reviews", {
    ...r,
    pull_number: number,
    per_page: 100,
  });
  meet(p.user);
  const mergedAt = isMerged ? Date.parse(p.merged_at!) : Infinity;
  const asThen: Review[] = [];
  for (const rv of reviews) {
    // Reviews after the merge did not decide it.
    if (!rv.user || !rv.commit_id || (rv.submitted_at && Date.parse(rv.submitted_at) > mergedAt)) continue;
    meet(rv.user);
    asThen.push({
      user: rv.user.login,
      userId: Number(rv.user.id),
      state: rv.state as Review["state"],
      commit: rv.commit_id,
    });
  }
  return {
    pr: number,
    commit: at,
    state: isMerged ? "merged" : "open",
    at: isMerged ? new Date(mergedAt).toISOString() : now.toISOString(),
    snapshot: {
      author: p.user.login,
      authorId: Number(p.user.id),
      head: p.head.sha,
      files: changed,
      commits: commits.map((c) => {
        const a =
          c.author && "login" in c.author ? (c.author as { login: string; id: number; type?: string }) : null;
        meet(a);
        return { sha: c.sha, author: a?.login ?? null, ...(a ? { authorId: a.id } : {}) };
      }),
      reviews: asThen,
      labels: [],
    },
  };
}

/** The ports of `reportPolicyImpact` on GitHub: the history above, and team members from the API. */
export function githubImpactPorts(
  s: GitHubSession,
  r: RepoRef,
  opts: ImpactHistoryOptions,
): PolicyImpactPorts {
  return {
    history: () => readImpactHistory(s, r, opts),
    directory: (users, teams) => readDirectory(s, users, teams),
  };
}
