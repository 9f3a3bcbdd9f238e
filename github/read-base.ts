import { CERTIFICATIONS_DIR, isCertificationPath } from "../core/certification/certification-path.js";
import { CODEOWNERS_PATHS } from "../core/codeowners.js";
import { prepareBase, type PreparedBase } from "../core/evaluate/prepare-base.js";
import { isPolicyPath } from "../core/load-policy.js";
import { estimateBytes } from "../core/lru-cache.js";
import type { GitHubSession } from "./github-caches.js";
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

/**
 * The base commit's policy and CODEOWNERS, parsed; cached by commit SHA (commits never change).
 * Ticket patterns compile through the instance's pattern cache.
 */
export async function readBase(s: GitHubSession, r: RepoRef, sha: string): Promise<PreparedBase> {
  const key = `${s.scope}/${fullName(r)}@${sha}`;
  const hit = s.caches.bases.get(key);
  if (hit) return hit;
  const paths = (await listFolderAt(s, r, "policies", sha)).filter(isPolicyPath).sort();
  const files = await Promise.all(
    paths.map(async (path) => ({ path, content: (await readFileAt(s, r, path, sha)) ?? "" })),
  );
  for (const p of CODEOWNERS_PATHS) {
    const content = await readFileAt(s, r, p, sha);
    if (content !== undefined) {
      files.push({ path: p, content });
      break;
    }
  }
  // Certification records decide lapses (a suspended entitlement is denied): read them with the policy.
  const records = (await listFolderAt(s, r, CERTIFICATIONS_DIR, sha)).filter(isCertificationPath).sort();
  for (const path of records) files.push({ path, content: (await readFileAt(s, r, path, sha)) ?? "" });
  const base = prepareBase(files, s.caches.patterns);
  s.caches.bases.set(key, base);
  return base;
}
