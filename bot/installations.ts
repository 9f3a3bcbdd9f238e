import type { Probot } from "probot";
import type { GitHubSession } from "../github/github-caches.js";
import type { GitHubInstance } from "../github/github-instance.js";
import { fullName, type RepoRef } from "../github/repo-ref.js";
import { installationClient } from "./probot-client.js";

/** A repository the bot acts on, with the installation to act as. */
export interface KnownRepo {
  installationId: number;
  repo: RepoRef;
}

/** The repositories the bot has heard from, with the installation to act as: what the timers visit. */
export interface KnownRepos {
  list(): KnownRepo[];
}

/**
 * The repositories of this bot instance: those deliveries came from, plus every repository of
 * every installation when a pass asks (so a restart loses nothing).
 */
export class Installations implements KnownRepos {
  private readonly repos = new Map<string, KnownRepo>();

  constructor(private readonly instance: GitHubInstance) {}

  /** Remembers the installation a delivery for `repo` came through. */
  note(installationId: number, repo: RepoRef): void {
    this.repos.set(fullName(repo), { installationId, repo });
  }

  list(): KnownRepo[] {
    return [...this.repos.values()];
  }

  /** The session to act on `owner/repo` with; undefined for a repository not heard from. */
  async session(probot: Probot, repository: string): Promise<{ s: GitHubSession; r: RepoRef } | undefined> {
    const entry = this.repos.get(repository);
    if (!entry) return undefined;
    const gh = await installationClient(probot, entry.installationId);
    return { s: this.instance.session(gh, entry.installationId), r: entry.repo };
  }

  /** Every repository of every installation, plus those heard from; on a listing failure, those heard from. */
  async discover(probot: Probot): Promise<KnownRepo[]> {
    try {
      const app = await installationClient(probot);
      for (const inst of await app.paginate("GET /app/installations", { per_page: 100 })) {
        const gh = await installationClient(probot, inst.id);
        for (const r of await gh.paginate("GET /installation/repositories", { per_page: 100 }))
          this.note(inst.id, { owner: r.owner.login, repo: r.name });
      }
    } catch (e) {
      probot.log.warn(
        `jitops: could not list installations (${(e as Error).message}); visiting known repositories only`,
      );
    }
    return this.list();
  }
}
