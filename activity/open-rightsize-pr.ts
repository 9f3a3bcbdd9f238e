import type { GitHubClient } from "../github/client.js";
import type { RepoRef } from "../github/repo-ref.js";
import { openPullFrom, startBranch } from "../github/start-branch.js";
import type { SourceFile } from "../core/types.js";

/** The branch of an entitlement's rightsizing pull request. */
export function rightsizeBranch(entitlement: string): string {
  return `jitops/rightsize/${entitlement}`;
}

/**
 * Opens (or finds) the pull request that narrows an entitlement's role: one policy file changed on
 * branch `jitops/rightsize/<entitlement>`. It changes `policies/` only, so it is decided like any
 * policy change: policy owners review it.
 */
export async function openRightsizePr(
  gh: GitHubClient,
  r: RepoRef,
  input: { entitlement: string; file: SourceFile; title: string; body: string },
): Promise<number> {
  const branch = rightsizeBranch(input.entitlement);
  const existing = await openPullFrom(gh, r, branch);
  if (existing) return existing.number;
  const { data: repo } = await gh.request("GET /repos/{owner}/{repo}", { owner: r.owner, repo: r.repo });
  const base = repo.default_branch;
  const { data: head } = await gh.request("GET /repos/{owner}/{repo}/commits/{ref}", { ...r, ref: base });
  await startBranch(gh, r, branch, head.sha);
  const { data: current } = await gh.request("GET /repos/{owner}/{repo}/contents/{path}", {
    ...r,
    path: input.file.path,
    ref: branch,
  });
  const sha = !Array.isArray(current) && current.type === "file" ? current.sha : undefined;
  await gh.request("PUT /repos/{owner}/{repo}/contents/{path}", {
    ...r,
    path: input.file.path,
    message: input.title,
    content: Buffer.from(input.file.content, "utf8").toString("base64"),
    branch,
    ...(sha ? { sha } : {}),
  });
  const { data: pr } = await gh.request("POST /repos/{owner}/{repo}/pulls", {
    ...r,
    title: input.title,
    head: branch,
    base,
    body: input.body,
  });
  return pr.number;
}
