import { CHECK_NAME, type CheckOutput } from "../core/render-check.js";
import type { GitHubClient } from "./client.js";
import { CACHE_BOUNDS, LruCache } from "./lru-cache.js";
import { fullName, type RepoRef } from "./repo-ref.js";
import { serialized } from "./serialized.js";

// Check run id and a digest of what was last written, per head SHA: an unchanged decision costs no write.
const ids = new LruCache<{ id: number; digest?: string }>(CACHE_BOUNDS.writeCheck);
/** Marks the check run with when its decision's reads began, so an older decision never replaces it. */
const EXTERNAL_ID_PREFIX = "jitops:decided-at:";

/** How one check-run write relates to others for the same head. */
export interface WriteCheckOptions {
  /** When the reads behind this decision began; a check written from later reads is never replaced. */
  decidedAt: Date;
  /** Read the check run from GitHub instead of trusting this instance's cache (late, fail-closed writes). */
  fresh?: boolean;
  /** Called when nothing is written because the check run already shows this output. */
  skipped?: () => void;
  /**
   * `false`: update the check run already on the head, but create none (the delivery for a new head
   * creates it). GitHub has no conditional create, so two replicas that both find no check run
   * would both create one; periodic passes leave creation to the webhook path for one pass.
   */
  create?: boolean;
}

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
  gh: GitHubClient,
  r: RepoRef,
  sha: string,
  out: CheckOutput,
  detailsUrl: string,
  opts: WriteCheckOptions,
): Promise<number | undefined> {
  const key = `${fullName(r)}@${sha}`;
  return serialized(key, async (): Promise<number | undefined> => {
    const known = opts.fresh ? undefined : ids.get(key);
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
    ids.set(key, { id, digest });
    return id;
  });
}
