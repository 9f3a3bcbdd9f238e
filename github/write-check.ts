import { CHECK_NAME, type CheckOutput } from "../core/render-check.js";
import type { GitHubSession } from "./github-caches.js";
import { fullName, type RepoRef } from "./repo-ref.js";
import type { WriteCheckOptions } from "../app/ports.js";

/** Marks the check run with when its decision's reads began, so an older decision never replaces it. */
const EXTERNAL_ID_PREFIX = "jitops:decided-at:";

function decidedAt(externalId: string | null | undefined): number | undefined {
  if (!externalId?.startsWith(EXTERNAL_ID_PREFIX)) return undefined;
  const t = Date.parse(externalId.slice(EXTERNAL_ID_PREFIX.length));
  return Number.isNaN(t) ? undefined : t;
}

/**
 * Creates or updates the one `jitops/approval` check run on `sha` (never a duplicate from this
 * process), unless the check run there already shows a decision made from later reads (another
 * replica's). Undefined when `create: false` found none to update.
 */
export async function writeCheck(
  s: GitHubSession,
  r: RepoRef,
  sha: string,
  out: CheckOutput,
  detailsUrl: string,
  opts: WriteCheckOptions,
): Promise<number | undefined> {
  // The check run id and a digest of what was last written, per head: an unchanged decision costs no write.
  const { gh, caches } = s;
  const key = `${s.scope}/${fullName(r)}@${sha}`;
  return caches.checkWriters.run(key, async (): Promise<number | undefined> => {
    const known = opts.fresh ? undefined : caches.checks.get(key);
    const digest = JSON.stringify(out);
    if (known?.digest === digest) {
      opts.skipped?.();
      return known.id;
    }
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
      // Another replica (or this one, before a slow failure) wrote a decision from newer reads: keep it.
      const theirs = decidedAt(found?.external_id);
      if (found && theirs !== undefined && theirs > opts.decidedAt.getTime()) return Number(found.id);
      if (id === undefined && opts.create === false) return undefined;
    }
    const body = {
      status: "completed" as const,
      conclusion: out.conclusion,
      details_url: detailsUrl,
      external_id: `${EXTERNAL_ID_PREFIX}${opts.decidedAt.toISOString()}`,
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
    caches.checks.set(key, { id, digest });
    return id;
  });
}
