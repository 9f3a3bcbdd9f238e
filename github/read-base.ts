import { CERTIFICATIONS_DIR, isCertificationPath } from "../core/certification/certification-path.js";
import { CODEOWNERS_PATHS } from "../core/codeowners.js";
import type { TicketPatternCache } from "../core/compile-policy.js";
import { prepareBase, type PreparedBase } from "../core/evaluate/prepare-base.js";
import { isPolicyPath } from "../core/load-policy.js";
import type { GitHubClient } from "./client.js";
import { CACHE_BOUNDS, estimateBytes, LruCache } from "./lru-cache.js";
import { listFolderAt, readFileAt } from "./read-file.js";
import { fullName, type RepoRef } from "./repo-ref.js";

/** Bytes one step of a compiled ticket program takes in memory (measured; its JSON shows none of it). */
export const BYTES_PER_PATTERN_STEP = 49;

/** Estimated bytes of a prepared base: its files and parse results, plus its compiled ticket programs. */
export function preparedBaseBytes(base: PreparedBase): number {
  let steps = 0;
  for (const e of base.loaded.policy?.entitlements.values() ?? [])
    if (e.ticket && e.ticket !== "any") steps += e.ticket.size;
  return estimateBytes(base) + steps * BYTES_PER_PATTERN_STEP;
}

const cache = new LruCache<PreparedBase>(CACHE_BOUNDS.readBase, Infinity, Date.now, preparedBaseBytes);

/**
 * The base commit's policy and CODEOWNERS, parsed; cached by commit SHA (commits never change).
 * Ticket patterns compile through `patterns` (the bot keeps one for its lifetime).
 */
export async function readBase(
  gh: GitHubClient,
  r: RepoRef,
  sha: string,
  patterns?: TicketPatternCache,
): Promise<PreparedBase> {
  const key = `${fullName(r)}@${sha}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const paths = (await listFolderAt(gh, r, "policies", sha)).filter(isPolicyPath).sort();
  const files = await Promise.all(
    paths.map(async (path) => ({ path, content: (await readFileAt(gh, r, path, sha)) ?? "" })),
  );
  for (const p of CODEOWNERS_PATHS) {
    const content = await readFileAt(gh, r, p, sha);
    if (content !== undefined) {
      files.push({ path: p, content });
      break;
    }
  }
  // Certification records decide lapses (a suspended entitlement is denied): read them with the policy.
  const records = (await listFolderAt(gh, r, CERTIFICATIONS_DIR, sha)).filter(isCertificationPath).sort();
  for (const path of records) files.push({ path, content: (await readFileAt(gh, r, path, sha)) ?? "" });
  const base = prepareBase(files, patterns);
  cache.set(key, base);
  return base;
}
