import { execFile } from "node:child_process";
import { promisify } from "node:util";
import type { RequestVersion } from "../core/activity/request-spans.js";

const run = promisify(execFile);

async function git(root: string, args: string[]): Promise<string | undefined> {
  try {
    return (await run("git", args, { cwd: root, maxBuffer: 64 * 1024 * 1024 })).stdout;
  } catch {
    return undefined;
  }
}

/**
 * Every version of `access/requests/<name>.yaml` in the checkout's history, oldest first: the commits
 * that added, changed or deleted it, their committer date (the merge) and author name. Git is the
 * only record of when access was held; nothing else is kept.
 */
export async function requestHistory(root: string, name: string, ref = "HEAD"): Promise<RequestVersion[]> {
  const path = `access/requests/${name}.yaml`;
  const log = await git(root, ["log", "--reverse", "--format=%H%x09%cI%x09%an", ref, "--", path]);
  const out: RequestVersion[] = [];
  for (const line of (log ?? "").split("\n").filter(Boolean)) {
    const [commit, time, author] = line.split("\t") as [string, string, string];
    const content = await git(root, ["show", `${commit}:${path}`]);
    out.push({
      commit,
      time: new Date(time).toISOString(),
      ...(author ? { author } : {}),
      ...(content !== undefined ? { content } : {}),
    });
  }
  return out;
}

/** Names of every request file the history ever held (for an entitlement's recent grants). */
export async function requestNames(root: string, ref = "HEAD"): Promise<string[]> {
  const log = await git(root, [
    "log",
    "--format=",
    "--name-only",
    "--diff-filter=A",
    ref,
    "--",
    "access/requests/",
  ]);
  const names = (log ?? "")
    .split("\n")
    .map((p) => /^access\/requests\/([^/]+)\.ya?ml$/.exec(p.trim())?.[1])
    .filter((n): n is string => n !== undefined);
  return [...new Set(names)].sort();
}
