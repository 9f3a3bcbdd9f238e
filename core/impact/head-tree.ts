import { CODEOWNERS_PATHS, readCodeowners } from "../codeowners.js";
import { teamsToResolve } from "../evaluate/teams-to-resolve.js";
import { prepareBase, type PreparedBase } from "../evaluate/prepare-base.js";
import type { PullSnapshot } from "../evaluate/pull-snapshot.js";
import { isPolicyPath } from "../load-policy.js";
import type { SourceFile } from "../types.js";
import type { ReplayRequest } from "./replay-input.js";

/**
 * The policy and CODEOWNERS a policy-change pull request would leave: the base's files with the
 * PR's changes applied. CODEOWNERS is the base's unless the PR changes one of GitHub's locations.
 */
export function headTree(base: PreparedBase, pr: PullSnapshot): PreparedBase {
  const files = new Map(base.policyFiles.map((f) => [f.path, f.content]));
  const owners: SourceFile[] = [];
  for (const f of pr.files) {
    if (f.status === "renamed" && f.previousPath) files.delete(f.previousPath);
    if (CODEOWNERS_PATHS.includes(f.path) && f.status !== "removed")
      owners.push({ path: f.path, content: f.content ?? "" });
    if (!isPolicyPath(f.path)) continue;
    if (f.status === "removed") files.delete(f.path);
    else files.set(f.path, f.content ?? "");
  }
  const head = prepareBase([...files].map(([path, content]) => ({ path, content })));
  return { ...head, codeowners: owners.length > 0 ? readCodeowners(owners) : base.codeowners };
}

/** The teams whose members the replay needs: those either policy reads for the requests replayed. */
export function impactTeams(base: PreparedBase, head: PreparedBase, requests: ReplayRequest[]): string[] {
  const teams = new Set<string>();
  for (const r of requests)
    for (const t of [...teamsToResolve(base, r.snapshot.files), ...teamsToResolve(head, r.snapshot.files)])
      teams.add(t);
  return [...teams].sort();
}
