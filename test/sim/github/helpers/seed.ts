import { Octokit } from "@octokit/rest";
import { createGitHubSim, type GitHubSim } from "@jitops/sim/github";

/** Repository every test works on. */
export const REPO = "acme/access";
export const WEBHOOK_SECRET = "sim-secret";

/** Keeps Octokit's request log quiet: tests provoke errors on purpose. */
export const quietLog = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };

/** A started simulator with org `acme`, users alice/bob/carol, team `approvers` and repo `acme/access`. */
export async function startSeededSim(webhookUrl?: string): Promise<{ sim: GitHubSim; octokit: Octokit }> {
  const sim = createGitHubSim({
    clock: () => new Date("2026-01-15T10:00:00Z"),
    ...(webhookUrl ? { webhook: { url: webhookUrl, secret: WEBHOOK_SECRET } } : {}),
  });
  sim.createOrg("acme");
  sim.createUser("alice", { name: "Alice" });
  sim.createUser("bob");
  sim.createUser("carol");
  sim.createTeam("acme", "approvers", ["bob", "carol"]);
  sim.createRepo(REPO, {
    files: {
      "policy/policy.yaml": "version: 1\nentitlements: []\n",
      "access/requests/.keep": "",
      "README.md": "# access\n",
    },
  });
  const { url } = await sim.start();
  const octokit = new Octokit({
    baseUrl: url,
    auth: "ghs_anything",
    log: quietLog,
    headers: { "x-github-api-version": "2022-11-28" },
  });
  return { sim, octokit };
}
