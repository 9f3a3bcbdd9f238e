import type { Clock } from "../core/clock.js";
import type { Env } from "../core/env.js";
import { createClient } from "../github/client.js";
import { ACTION_SETTINGS } from "../github/github-failure.js";
import type { DecideDeps } from "../app/decide-pull.js";
import type { RepoPorts } from "../app/ports.js";
import { GitHubInstance } from "../github/github-instance.js";
import type { ActionIO } from "./action-io.js";

/** What the scheduled modes share: the repository they act on and what deciding needs. */
export interface ActionGitHub {
  repo: RepoPorts;
  deps: DecideDeps;
}

/**
 * Reads the `token` and `repository` inputs and builds a GitHub client for them. The token is
 * masked before anything can log it; the REST base comes from the runner (GitHub Enterprise Server
 * sets GITHUB_API_URL), so the same workflow works on github.com and on a server.
 */
export function actionGitHub(io: ActionIO, mode: string, env: Env, now: Clock): ActionGitHub {
  const token = io.input("token");
  if (!token)
    throw new Error(
      `input token is required in mode ${mode}: mint a GitHub App installation token with actions/create-github-app-token (check runs can only be written by an App)`,
    );
  io.setSecret(token);
  const name = io.input("repository") || env.GITHUB_REPOSITORY || "";
  const m = /^([A-Za-z0-9_.-]+)\/([A-Za-z0-9_.-]+)$/.exec(name);
  if (!m) throw new Error(`repository "${name}" is not owner/name`);
  const server = env.GITHUB_SERVER_URL || "https://github.com";
  const instance = new GitHubInstance(now, `${server}/${name}#jitops`);
  const gh = createClient({
    token,
    settings: ACTION_SETTINGS,
    ...(env.GITHUB_API_URL ? { baseUrl: env.GITHUB_API_URL } : {}),
  });
  return {
    repo: instance.repo(instance.session(gh), { owner: m[1]!, repo: m[2]! }),
    deps: {
      clock: now,
      memory: instance.memory,
      // One line per event, as the credentials mode writes them, so one log query finds them all.
      audit: { write: (e) => io.info(`jitops audit ${JSON.stringify(e)}`) },
      log: { info: (msg) => io.info(msg), warn: (msg) => io.info(`warning: ${msg}`) },
    },
  };
}
