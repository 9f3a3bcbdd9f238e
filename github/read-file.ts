import type { GitHubClient } from "./client.js";
import type { RepoRef } from "./repo-ref.js";

/** Reads a file's text at a commit; undefined when it does not exist there. Other errors throw. */
export async function readFileAt(
  gh: GitHubClient,
  r: RepoRef,
  path: string,
  ref: string,
): Promise<string | undefined> {
  try {
    const res = await gh.request("GET /repos/{owner}/{repo}/contents/{path}", { ...r, path, ref });
    const data = res.data as { type?: string; content?: string; encoding?: string };
    if (Array.isArray(data) || data.type !== "file") return undefined;
    return Buffer.from(data.content ?? "", (data.encoding as BufferEncoding) ?? "base64").toString("utf8");
  } catch (e) {
    if ((e as { status?: number }).status === 404) return undefined;
    throw e;
  }
}

/** Lists the file names in a folder at a commit; empty when the folder does not exist. */
export async function listFolderAt(
  gh: GitHubClient,
  r: RepoRef,
  path: string,
  ref: string,
): Promise<string[]> {
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
