import type { Decision } from "../core/evaluate/decision.js";
import type { GitHubClient } from "./client.js";
import type { RepoRef } from "./repo-ref.js";

/** Teams (slugs of the repo's org) and users who can still satisfy an unmet rule. */
export function reviewersToRequest(
  d: Decision,
  org: string,
  author: string,
): { teams: string[]; users: string[] } {
  const teams = new Set<string>();
  const users = new Set<string>();
  const rules = [...d.requests.flatMap((r) => r.rules), ...(d.policy?.rules ?? [])];
  for (const rule of rules) {
    if (rule.have >= rule.need) continue;
    for (const t of rule.candidates.teams) {
      const [o, slug] = t.split("/");
      if (o?.toLowerCase() === org.toLowerCase() && slug) teams.add(slug);
    }
    for (const u of rule.candidates.users) if (u.toLowerCase() !== author.toLowerCase()) users.add(u);
  }
  return { teams: [...teams].sort(), users: [...users].sort() };
}

/** Asks GitHub for reviews from those who can still approve; a failure here never changes the decision. */
export async function requestReviews(
  gh: GitHubClient,
  r: RepoRef,
  number: number,
  who: { teams: string[]; users: string[] },
): Promise<void> {
  if (who.teams.length === 0 && who.users.length === 0) return;
  await gh.request("POST /repos/{owner}/{repo}/pulls/{pull_number}/requested_reviewers", {
    ...r,
    pull_number: number,
    reviewers: who.users,
    team_reviewers: who.teams,
  });
}
