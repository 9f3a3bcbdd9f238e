import { CHECK_NAME, type CheckOutput } from "../core/render-check.js";
import type { GitHubClient } from "./client.js";
import { LruCache } from "./lru-cache.js";
import { fullName, type RepoRef } from "./repo-ref.js";

const ids = new LruCache<number>(1024);
const locks = new Map<string, Promise<unknown>>();

/** Runs `fn` after every earlier call with the same key: one writer per head SHA, so no duplicate check runs. */
export async function serialized<T>(key: string, fn: () => Promise<T>): Promise<T> {
  const prev = locks.get(key) ?? Promise.resolve();
  const next = prev.then(fn, fn);
  const settled = next.catch(() => undefined);
  locks.set(key, settled);
  try {
    return await next;
  } finally {
    if (locks.get(key) === settled) locks.delete(key);
  }
}

/** Creates or updates the one `jitops/approval` check run on `sha` (never a duplicate). */
export async function writeCheck(gh: GitHubClient, r: RepoRef, sha: string, out: CheckOutput, detailsUrl: string): Promise<number> {
  const key = `${fullName(r)}@${sha}`;
  return serialized(key, async (): Promise<number> => {
    let id = ids.get(key);
    if (id === undefined) {
      const { data } = await gh.request("GET /repos/{owner}/{repo}/commits/{ref}/check-runs", { ...r, ref: sha, check_name: CHECK_NAME, per_page: 100 });
      const found = data.check_runs.find((c) => c.name === CHECK_NAME);
      id = found ? Number(found.id) : undefined;
    }
    const body = {
      status: "completed" as const,
      conclusion: out.conclusion,
      details_url: detailsUrl,
      output: { title: out.title, summary: out.summary },
    };
    if (id !== undefined) {
      await gh.request("PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}", { ...r, check_run_id: id, ...body });
    } else {
      const { data } = await gh.request("POST /repos/{owner}/{repo}/check-runs", { ...r, name: CHECK_NAME, head_sha: sha, ...body });
      id = Number(data.id);
    }
    ids.set(key, id);
    return id;
  });
}

/** The conclusion of the `jitops/approval` check on `sha`; undefined when there is none. */
export async function readCheckConclusion(gh: GitHubClient, r: RepoRef, sha: string): Promise<string | null | undefined> {
  const { data } = await gh.request("GET /repos/{owner}/{repo}/commits/{ref}/check-runs", { ...r, ref: sha, check_name: CHECK_NAME, per_page: 100 });
  const run = data.check_runs.find((c) => c.name === CHECK_NAME);
  if (run) ids.set(`${fullName(r)}@${sha}`, Number(run.id));
  return run ? run.conclusion : undefined;
}
