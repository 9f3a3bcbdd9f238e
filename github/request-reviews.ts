import type { GitHubClient } from "./client.js";
import type { RepoRef } from "./repo-ref.js";

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
