import { isRequestPath } from "../core/check-request.js";
import { isPolicyChangePath } from "../core/evaluate/prepare-base.js";
import { MAX_FILES } from "../core/evaluate/evaluate-pull.js";
import type { ChangedFile, PullSnapshot, Review } from "../core/evaluate/pull-snapshot.js";
import type { GitHubSession } from "./github-caches.js";
import { readFileAt } from "./read-file.js";
import { fullName, type RepoRef } from "./repo-ref.js";
import { HeadNotVisibleError, type ApiUser, type PullRead, type PullSummary } from "../app/ports.js";

/** Most commits the pulls API lists. */
export const MAX_COMMITS = 250;

/** What a head/base pair holds: changed files (request contents included), commits, and their users. */
export interface HeadData {
  files: ChangedFile[];
  commits: PullSnapshot["commits"];
  users: ApiUser[];
  truncated?: "files" | "commits";
}

const STATUS: Record<string, ChangedFile["status"]> = {
  added: "added",
  removed: "removed",
  renamed: "renamed",
};

/**
 * Reads a pull request; throws HeadNotVisibleError when `expectedHead` is not what the API shows.
 * With `known` (the signed payload's pull request, or an item of the open-PR list) the pull request
 * itself is not fetched: its head, base, state, draft flag, author and labels come from there, and
 * the head is checked against the last commit the API lists for the PR.
 */
export async function readPull(
  s: GitHubSession,
  r: RepoRef,
  number: number,
  expectedHead?: string,
  known?: PullSummary,
): Promise<PullRead> {
  const pull: PullSummary = known
    ? known
    : (
        await s.gh.request("GET /repos/{owner}/{repo}/pulls/{pull_number}", {
          ...r,
          pull_number: number,
        })
      ).data;
  if (expectedHead && pull.head.sha !== expectedHead)
    throw new HeadNotVisibleError(expectedHead, pull.head.sha);
  if (!pull.user) throw new Error(`${fullName(r)}#${number} has no author in GitHub's answer`);
  // Files and commits of a head/base pair never change: a review event then costs only its reviews.
  const key = `${s.scope}/${fullName(r)}#${number}@${pull.head.sha}..${pull.base.sha}`;
  let head = s.caches.heads.get(key);
  if (!head) {
    head = await readHead(s, r, number, pull.head.sha, pull.commits);
    s.caches.heads.set(key, head);
  }
  const reviews = await s.gh.paginate("GET /repos/{owner}/{repo}/pulls/{pull_number}/reviews", {
    ...r,
    pull_number: number,
    per_page: 100,
  });
  const users = new Map<number, ApiUser>();
  const author = { login: pull.user.login, id: Number(pull.user.id), type: pull.user.type };
  users.set(author.id, author);
  for (const u of head.users) users.set(u.id, u);
  const snapshotReviews: Review[] = [];
  for (const rv of reviews) {
    if (!rv.user || !rv.commit_id) continue;
    users.set(Number(rv.user.id), { login: rv.user.login, id: Number(rv.user.id), type: rv.user.type });
    snapshotReviews.push({
      user: rv.user.login,
      userId: Number(rv.user.id),
      state: rv.state as Review["state"],
      commit: rv.commit_id,
    });
  }
  return {
    number,
    headSha: pull.head.sha,
    baseSha: pull.base.sha,
    author,
    state: pull.state,
    draft: pull.draft === true,
    users: [...users.values()],
    snapshot: {
      author: author.login,
      authorId: author.id,
      head: pull.head.sha,
      files: head.files,
      commits: head.commits,
      reviews: snapshotReviews,
      labels: (pull.labels ?? []).map((l) => (typeof l === "string" ? l : (l.name ?? ""))),
      ...(head.truncated ? { truncated: head.truncated } : {}),
    },
  };
}

async function readHead(
  s: GitHubSession,
  r: RepoRef,
  number: number,
  sha: string,
  commitCount: number | undefined,
): Promise<HeadData> {
  const files = await s.gh.paginate("GET /repos/{owner}/{repo}/pulls/{pull_number}/files", {
    ...r,
    pull_number: number,
    per_page: 100,
  });
  const commits = await s.gh.paginate("GET /repos/{owner}/{repo}/pulls/{pull_number}/commits", {
    ...r,
    pull_number: number,
    per_page: 100,
  });
  const truncated =
    files.length >= MAX_FILES
      ? "files"
      : (commitCount ?? 0) > MAX_COMMITS || commits.length >= MAX_COMMITS
        ? "commits"
        : undefined;
  // The files and commits are of the head the API shows now: unless it is the head being decided
  // (a payload's head GitHub does not show yet, or an old event redelivered), decide nothing.
  const last = commits.at(-1)?.sha;
  if (!truncated && last !== sha) throw new HeadNotVisibleError(sha, last ?? "(no commits)");
  const changed = await Promise.all(
    files.map(async (f): Promise<ChangedFile> => {
      const status = STATUS[f.status] ?? "modified";
      // Only request and policy files are read: nothing else can grant, and the decision never reads them.
      const needed = status !== "removed" && (isRequestPath(f.filename) || isPolicyChangePath(f.filename));
      const content = needed && !truncated ? await readFileAt(s, r, f.filename, sha) : undefined;
      return {
        path: f.filename,
        status,
        ...(content !== undefined ? { content } : {}),
        ...(f.previous_filename ? { previousPath: f.previous_filename } : {}),
      };
    }),
  );
  const users: ApiUser[] = [];
  const snapshotCommits = commits.map((c) => {
    if (c.author) users.push({ login: c.author.login, id: c.author.id, type: c.author.type });
    return { sha: c.sha, author: c.author?.login ?? null, ...(c.author ? { authorId: c.author.id } : {}) };
  });
  return { files: changed, commits: snapshotCommits, users, ...(truncated ? { truncated } : {}) };
}
