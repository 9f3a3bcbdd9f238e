import type { GitHubClient } from "./client.js";
import type { GitHubSession } from "./github-caches.js";
import { fullName, type RepoRef } from "./repo-ref.js";

const isSha = (ref: string) => /^[0-9a-f]{40}$/.test(ref);

// What a commit holds never changes: reads at a full SHA are cached, so a sweep over an unchanged
// default branch costs no content reads. Branch names are never cached.
async function cached<T extends string | string[] | undefined>(
  s: GitHubSession,
  key: string,
  ref: string,
  read: () => Promise<T>,
): Promise<T> {
  if (!isSha(ref)) return read();
  const hit = s.caches.files.get(key);
  if (hit) return hit.value as T;
  const value = await read();
  s.caches.files.set(key, { value });
  return value;
}

/** Reads a file's text at a commit; undefined when it does not exist there. Other errors throw. */
export async function readFileAt(
  s: GitHubSession,
  r: RepoRef,
  path: string,
  ref: string,
): Promise<string | undefined> {
  return cached(s, `${s.scope}/${fullName(r)}@${ref}:${path}:file`, ref, () => readFile(s.gh, r, path, ref));
}

async function readFile(
  gh: GitHubClient,
  r: RepoRef,
  path: string,
  ref: string,
): Promise<string | undefined> {
  try {
    const res = await gh.request("GET /repos/{owner}/{repo}/contents/{path}", { ...r, path, ref });
    const data = res.data as { type?: string; content?: string; encoding?: string };
    if (Array.isArray(data) || data.type !== "file") return undefined;
    // Above 1 MB GitHub leaves the content out (`encoding: "none"`); the raw media type has it.
    if (data.encoding === "none") {
      const raw = await gh.request("GET /repos/{owner}/{repo}/contents/{path}", {
        ...r,
        path,
        ref,
        mediaType: { format: "raw" },
      });
      return String(raw.data);
    }
    return Buffer.from(data.content ?? "", "base64").toString("utf8");
  } catch (e) {
    if ((e as { status?: number }).status === 404) return undefined;
    throw e;
  }
}

/** Lists the file names in a folder at a commit; empty when the folder does not exist. */
export async function listFolderAt(
  s: GitHubSession,
  r: RepoRef,
  path: string,
  ref: string,
): Promise<string[]> {
  return cached(s, `${s.scope}/${fullName(r)}@${ref}:${path}:dir`, ref, () => listFolder(s.gh, r, path, ref));
}

async function listFolder(gh: GitHubClient, r: RepoRef, path: string, ref: string): Promise<string[]> {
  try {
    const res = await gh.request("GET /repos/{owner}/{repo}/contents/{path}", { ...r, path, ref });
    const data = res.data as unknown;
    if (!Array.isArray(data)) return [];
    return (data as { type: string; path: string }[]).filter((e) => e.type === "file").map((e) => e.path);
  } catch (e) {
    if ((e as { status?: number }).status === 404) return [];
    throw e;
  }
}
