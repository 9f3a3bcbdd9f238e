import type { RepoPorts } from "../app/ports.js";
import { UseCaseMemory } from "../app/use-case-memory.js";
import { systemClock, type Clock } from "../core/clock.js";
import type { GitHubClient } from "./client.js";
import { GitHubCaches, gitHubSession, type GitHubSession } from "./github-caches.js";
import type { RepoRef } from "./repo-ref.js";
import { gitHubRepo } from "./repo-ports.js";

/**
 * What one bot, Action run or CLI run keeps, made once at its start: its clock, the GitHub
 * adapter's caches and the use cases' memory. Everything a request needs is reached from here, so
 * two instances in one process (two bots in a bench, two tests) share nothing.
 */
export class GitHubInstance {
  readonly caches: GitHubCaches;
  readonly memory: UseCaseMemory;

  constructor(
    readonly clock: Clock = systemClock,
    /** Where check runs' "Details" link points (the access repository's README or runbook). */
    readonly detailsUrl = "https://github.com/jitops/jitops#decisions",
  ) {
    this.caches = new GitHubCaches(clock);
    this.memory = new UseCaseMemory(clock);
  }

  /** The client as this instance's session: `installation` is the App installation it acts as. */
  session(gh: GitHubClient, installation?: number): GitHubSession {
    return gitHubSession(gh, this.caches, installation);
  }

  /** One repository's ports, through a session of this instance. */
  repo(s: GitHubSession, r: RepoRef): RepoPorts {
    return gitHubRepo(s, r, this.detailsUrl);
  }
}
