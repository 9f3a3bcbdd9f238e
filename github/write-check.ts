import { CHECK_NAME, type CheckOutput } from "../core/render-check.js";
import type { GitHubClient } from "./client.js";
import { LruCache } from "./lru-cache.js";
import { fullName, type RepoRef } from "./repo-ref.js";
import { serialized } from "./serialized.js";

// Check run id and a digest of what was last written, per head SHA: an unchanged decision costs no write.
const ids = new LruCache<{ id: number; digest?: string }>(1024);
/** Creates or updates the one `jitops/approval` check run on `sha` (never a duplicate). */
export async function writeCheck(
  gh: GitHubClient,
  r: RepoRef,
  sha: string,
  out: CheckOutput,
  detailsUrl: string,
): Promise<number> {
  const key = `${fullName(r)}@${sha}`;
  return serialized(key, async (): Promise<number> => {
    const known = ids.get(key);
    const digest = JSON.stringify(out);
    if (known?.digest === digest) return known.id;
    let id = known?.id;
    if (id === undefined) {
      const { data } = await gh.request("GET /repos/{owner}/{repo}/commits/{ref}/check-runs", {
        ...r,
        ref: sha,
        check_name: CHECK_NAME,
        per_page: 100,
      });
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
      await gh.request("PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}", {
        ...r,
        check_run_id: id,
        ...body,
      });
    } else {
      const { data } = await gh.request("POST /repos/{owner}/{repo}/check-runs", {
        ...r,
        name: CHECK_NAME,
        head_sha: sha,
        ...body,
      });
      id = Number(data.id);
    }
    ids.set(key, { id, digest });
    return id;
  });
}
