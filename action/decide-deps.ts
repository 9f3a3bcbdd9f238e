import { createClient } from "../github/client.js";
import { ACTION_SETTINGS } from "../github/github-failure.js";
import type { DecideDeps } from "../github/decide-pull.js";
import type { RepoRef } from "../github/repo-ref.js";
import type { ActionIO } from "./action-io.js";

/** What the scheduled modes share: the repository they act on and what deciding needs. */
export interface ActionGitHub {
  repo: RepoRef;
  deps: DecideDeps;
}

/**
 * Reads the `token` and `repository` inputs and builds a GitHub client for them. The token is
 * masked before anything can log it; the REST base comes from the runner (GitHub Enterprise Server
 * sets GITHUB_API_URL), so the same workflow works on github.com and on a server.
 */
export function actionGitHub(
  io: ActionIO,
  mode: string,
  env: NodeJS.ProcessEnv,
  now: () => Date,
): ActionGitHub {
  const token = io.input("token");
  if (!token)
    throw new Error(
      `input token is required in mode ${mode}: mint a GitHub App installation token with actions/create-github-app-token (check runs can only be written by an App)`,
    );
  io.setSecret(token);
  const name = io.input("repository") || env.GITHUB_REPOSITORY || "";
  const m = /^([A-Za-z0-9_.-]+)\/([A-Za-z0-9_.-]+)$/.exec(name);
  if (!m) throw new Error(`repository "${name}" is not owner/name`);
  const repo = { owner: m[1]!, repo: m[2]! };
  const server = env.GITHUB_SERVER_URL || "https://github.com";
  return {
    repo,
    deps: {
      gh: createClient({
        token,
        settings: ACTION_SETTINGS,
        ...(env.GITHUB_API_URL ? { baseUrl: env.GITHUB_API_URL } : {}),
      }),
      now,
      detailsUrl: `${server}/${name}#jitops`,
      // One line per event, as the credentials mode writes them, so one log query finds them all.
      audit: { write: (e) => io.info(`jitops audit ${JSON.stringify(e)}`) },
      log: { info: (msg) => io.info(msg), warn: (msg) => io.info(`warning: ${msg}`) },
    },
  };
}
