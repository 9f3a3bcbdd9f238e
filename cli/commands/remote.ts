import type { Clock } from "../../core/clock.js";
import type { Env } from "../../core/env.js";
import { ConfigError } from "../../core/config-error.js";
import { createClient, type ClientOptions } from "../../github/client.js";
import { UsageError } from "../command-spec.js";
import type { DecideDeps } from "../../app/decide-pull.js";
import type { RepoPorts } from "../../app/ports.js";
import type { GitHubSession } from "../../github/github-caches.js";
import { GitHubInstance } from "../../github/github-instance.js";
import type { Output } from "../output.js";
import type { RepoRef } from "../../github/repo-ref.js";

/** How a remote command's GitHub client paces writes and waits between retries (tests against a simulator turn pacing off). */
export type GitHubTuning = Pick<ClientOptions, "pacing" | "retryUnitMs">;

/** Options shared by the commands that talk to GitHub. */
export interface RemoteOptions {
  repo: string;
  apiUrl?: string;
  github?: GitHubTuning;
}

/** Parses `owner/name`; throws a usage error naming the accepted form. */
export function parseRepo(repo: string): RepoRef {
  const m = /^([A-Za-z0-9_.-]+)\/([A-Za-z0-9_.-]+)$/.exec(repo);
  if (!m) throw new UsageError(`--repo "${repo}" is not owner/name`);
  return { owner: m[1]!, repo: m[2]! };
}

/** A GitHub client from GITHUB_TOKEN (a workflow's token or an app installation token). */
export function remoteClient(opts: RemoteOptions, env: Env) {
  const token = env.GITHUB_TOKEN ?? env.GH_TOKEN;
  if (!token)
    throw new ConfigError(
      "GITHUB_TOKEN is not set",
      "set GITHUB_TOKEN (or GH_TOKEN) to a token with checks: write, pull-requests: write and contents: write",
    );
  return createClient({ token, ...(opts.apiUrl ? { baseUrl: opts.apiUrl } : {}), ...opts.github });
}

/**
 * What a command's use cases need: the repository's ports over GITHUB_TOKEN (this run's caches),
 * and what deciding needs: the clock, this run's memory, logs and audit lines on stderr.
 */
export function remoteContext(
  opts: RemoteOptions,
  o: Output,
  env: Env,
  now: Clock,
): { repo: RepoPorts; decide: DecideDeps; session: GitHubSession; r: RepoRef } {
  const instance = new GitHubInstance(now, `https://github.com/${opts.repo}#jitops`);
  const r = parseRepo(opts.repo);
  const session = instance.session(remoteClient(opts, env));
  return {
    r,
    session,
    repo: instance.repo(session, r),
    decide: {
      clock: now,
      memory: instance.memory,
      audit: { write: (e) => o.err(JSON.stringify(e)) },
      log: { info: (m) => o.err(m), warn: (m) => o.err(`warning: ${m}`) },
    },
  };
}
