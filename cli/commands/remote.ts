import { ConfigError } from "../../core/config-error.js";
import { createClient } from "../../github/client.js";
import { UsageError } from "../command-spec.js";
import type { DecideDeps } from "../../github/decide-pull.js";
import type { Output } from "../output.js";
import type { RepoRef } from "../../github/repo-ref.js";

/** Options shared by the commands that talk to GitHub. */
export interface RemoteOptions {
  repo: string;
  apiUrl?: string;
}

/** Parses `owner/name`; throws a usage error naming the accepted form. */
export function parseRepo(repo: string): RepoRef {
  const m = /^([A-Za-z0-9_.-]+)\/([A-Za-z0-9_.-]+)$/.exec(repo);
  if (!m) throw new UsageError(`--repo "${repo}" is not owner/name`);
  return { owner: m[1]!, repo: m[2]! };
}

/** A GitHub client from GITHUB_TOKEN (a workflow's token or an app installation token). */
export function remoteClient(opts: RemoteOptions, env: NodeJS.ProcessEnv) {
  const token = env.GITHUB_TOKEN ?? env.GH_TOKEN;
  if (!token)
    throw new ConfigError(
      "GITHUB_TOKEN is not set",
      "set GITHUB_TOKEN (or GH_TOKEN) to a token with checks: write, pull-requests: write and contents: write",
    );
  return createClient({ token, ...(opts.apiUrl ? { baseUrl: opts.apiUrl } : {}) });
}

/** What deciding needs, for a command: a GitHub client, the clock, logs and audit lines on stderr. */
export function remoteDecideDeps(
  opts: RemoteOptions,
  o: Output,
  env: NodeJS.ProcessEnv,
  now: () => Date,
): DecideDeps {
  return {
    gh: remoteClient(opts, env),
    now,
    detailsUrl: `https://github.com/${opts.repo}#jitops`,
    audit: { write: (e) => o.err(JSON.stringify(e)) },
    log: { info: (m) => o.err(m), warn: (m) => o.err(`warning: ${m}`) },
  };
}
