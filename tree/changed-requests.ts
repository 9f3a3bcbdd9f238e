import { execFile } from "node:child_process";
import { readFile } from "node:fs/promises";
import { promisify } from "node:util";
import { isRequestPath } from "../core/check-request.js";
import type { Env } from "../core/env.js";

const run = promisify(execFile);

/**
 * The request files a pull request adds or changes, from the event's base SHA and git, so that
 * requests already merged (whose start may now be past) are not judged again. Undefined when this
 * is not a pull request run or the base commit is not in the checkout (a shallow clone).
 */
export async function changedRequestFiles(root: string, env: Env): Promise<string[] | undefined> {
  if (!env.GITHUB_EVENT_PATH || !/^pull_request/.test(env.GITHUB_EVENT_NAME ?? "")) return undefined;
  try {
    const event = JSON.parse(await readFile(env.GITHUB_EVENT_PATH, "utf8")) as {
      pull_request?: { base?: { sha?: string } };
    };
    const base = event.pull_request?.base?.sha;
    if (!base || !/^[0-9a-f]{40}$/.test(base)) return undefined;
    const { stdout } = await run(
      "git",
      ["diff", "--name-only", "--diff-filter=AMR", `${base}...HEAD`, "--", "access/requests"],
      { cwd: root },
    );
    return stdout.split("\n").filter((p) => isRequestPath(p));
  } catch {
    return undefined;
  }
}
