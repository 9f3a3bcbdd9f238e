import { systemClock, type Clock } from "../core/clock.js";
import { TicketPatternCache } from "../core/compile-policy.js";
import type { PreparedBase } from "../core/evaluate/prepare-base.js";
import { KeyedLock } from "../core/keyed-lock.js";
import { CACHE_BOUNDS, LruCache } from "../core/lru-cache.js";
import type { GitHubClient } from "./client.js";
import { preparedBaseBytes } from "./read-base.js";
import type { ApiUser } from "../app/ports.js";
import type { HeadData } from "./read-pull.js";

/** How long team membership is trusted before it is read again. */
export const TEAM_TTL_MS = 60_000;

/**
 * Everything the GitHub adapter remembers, for one bot or CLI instance: created once with the
 * instance's clock and carried in its dependencies (never module state, so two bots in one process,
 * or two tests, share nothing). Every key starts with the session's scope (API host and
 * installation), then the repository and the commit.
 */
export class GitHubCaches {
  /** Changed files and commits per PR head/base pair (they never change). */
  readonly heads: LruCache<HeadData>;
  /** Parsed base policy and CODEOWNERS per commit. */
  readonly bases: LruCache<PreparedBase>;
  /** File contents and folder listings at a full commit SHA. */
  readonly files: LruCache<{ value: string | string[] | undefined }>;
  /** The check run id and its last output's digest per head. */
  readonly checks: LruCache<{ id: number; digest?: string }>;
  /** Sticky comment ids and bodies per PR and marker. */
  readonly sticky: LruCache<{ id: number; body: string }>;
  /** Team members per team, for TEAM_TTL_MS. */
  readonly teams: LruCache<ApiUser[]>;
  /** The commit that last changed a file at a commit. */
  readonly lastCommits: LruCache<{ sha: string; author: string | null; authorId: number | null; date: Date }>;
  /** One check-run writer per head at a time: no duplicate check runs from this instance. */
  readonly checkWriters = new KeyedLock();
  /** Ticket programs compiled once, across base commits. */
  readonly patterns = new TicketPatternCache();

  constructor(readonly clock: Clock = systemClock) {
    this.heads = new LruCache(CACHE_BOUNDS.readPull, Infinity, clock);
    this.bases = new LruCache(CACHE_BOUNDS.readBase, Infinity, clock, preparedBaseBytes);
    this.files = new LruCache(CACHE_BOUNDS.readFile, Infinity, clock);
    this.checks = new LruCache(CACHE_BOUNDS.writeCheck, Infinity, clock);
    this.sticky = new LruCache(CACHE_BOUNDS.stickyComment, Infinity, clock);
    this.teams = new LruCache(CACHE_BOUNDS.readDirectory, TEAM_TTL_MS, clock);
    this.lastCommits = new LruCache(CACHE_BOUNDS.readMergedRequests, Infinity, clock);
  }
}

/** A GitHub client with the caches of its instance and the scope its cache keys start with. */
export interface GitHubSession {
  readonly gh: GitHubClient;
  readonly caches: GitHubCaches;
  /** `<API base URL>#<installation id, or "token">`: the same repository on two hosts or installations never shares an entry. */
  readonly scope: string;
}

/** The session of a client: `installation` is the App installation it acts as (none for a plain token). */
export function gitHubSession(gh: GitHubClient, caches: GitHubCaches, installation?: number): GitHubSession {
  return { gh, caches, scope: `${apiBaseUrl(gh)}#${installation ?? "token"}` };
}

/** The API base URL an Octokit sends to (github.com's, GHES's, a simulator's). */
export function apiBaseUrl(gh: GitHubClient): string {
  const endpoint = (gh.request as { endpoint?: { DEFAULTS?: { baseUrl?: string } } }).endpoint;
  return endpoint?.DEFAULTS?.baseUrl ?? "https://api.github.com";
}
