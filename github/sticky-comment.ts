import type { GitHubSession } from "./github-caches.js";
import { fullName, type RepoRef } from "./repo-ref.js";

/** Creates or updates the one comment starting with `marker` on a PR; writes nothing when the body is unchanged. */
export async function upsertStickyComment(
  s: GitHubSession,
  r: RepoRef,
  number: number,
  marker: string,
  body: string,
): Promise<void> {
  const { gh } = s;
  const known = s.caches.sticky;
  const key = `${s.scope}/${fullName(r)}#${number}:${marker}`;
  let hit = known.get(key);
  if (!hit) {
    const comments = await gh.paginate("GET /repos/{owner}/{repo}/issues/{issue_number}/comments", {
      ...r,
      issue_number: number,
      per_page: 100,
    });
    const mine = comments.find((c) => c.body?.startsWith(marker) && c.user?.type === "Bot");
    if (mine) hit = { id: Number(mine.id), body: mine.body ?? "" };
  }
  if (hit?.body === body) return;
  if (hit) {
    await gh.request("PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}", {
      ...r,
      comment_id: hit.id,
      body,
    });
    known.set(key, { id: hit.id, body });
  } else {
    const { data } = await gh.request("POST /repos/{owner}/{repo}/issues/{issue_number}/comments", {
      ...r,
      issue_number: number,
      body,
    });
    known.set(key, { id: Number(data.id), body });
  }
}
