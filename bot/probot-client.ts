import type { Probot } from "probot";
import type { GitHubClient } from "../github/client.js";

/**
 * Probot's Octokit as the adapter's client. Probot builds its Octokit from its own @octokit/core,
 * whose types differ from @octokit/rest's in details the adapter never uses; `request` and
 * `paginate` behave the same. This is the one place that says so.
 */
export function probotClient(octokit: unknown): GitHubClient {
  return octokit as GitHubClient;
}

/** A client acting as the installation (or, without one, as the App itself: its JWT). */
export async function installationClient(probot: Probot, installationId?: number): Promise<GitHubClient> {
  return probotClient(await probot.auth(installationId));
}
