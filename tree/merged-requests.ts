import { execFile } from "node:child_process";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { ConfigError } from "../core/config-error.js";
import type { Env } from "../core/env.js";

const run = promisify(execFile);

/** Where the default branch is looked for when none is named: the usual remote and local names. */
export const DEFAULT_REFS = ["origin/HEAD", "origin/main", "origin/master", "main", "master"];

interface RunEvent {
  pull_request?: { base?: { sha?: string } };
  repository?: { default_branch?: string };
}

async function readEvent(env: Env): Promise<RunEvent> {
  if (!env.GITHUB_EVENT_PATH) return {};
  try {
    return JSON.parse(await readFile(env.GITHUB_EVENT_PATH, "utf8")) as RunEvent;
  } catch {
    return {};
  }
}

async function git(root: string, args: string[], input?: string): Promise<string | undefined> {
  try {
    const child = run("git", args, { cwd: root, maxBuffer: 64 * 1024 * 1024 });
    if (input !== undefined) child.child.stdin?.end(input);
    return (await child).stdout;
  } catch {
    return undefined;
  }
}

/** The commit `ref` names, or undefined (not a git checkout, no such ref). */
const commitOf = async (root: string, ref: string) =>
  (await git(root, ["rev-parse", "--verify", "--quiet", `${ref}^{commit}`]))?.trim() || undefined;

/** What decided which requests are merged, for messages. */
export interface MergedRequests {
  /** Request paths already on the default branch, unchanged. */
  merged: Set<string>;
  /** `GITHUB_REF` for a run on the default branch, the ref compared with, or undefined (none found). */
  against: string | undefined;
}

/**
 * Which of the request files `paths` (relative to `root`) are already merged: unchanged against the
 * default branch, so a `start` that has passed since does not make them invalid (docs/workflow-validate.md).
 * A GitHub Actions run on the default branch itself (push, schedule) counts every request as merged.
 * Otherwise each file is compared, by git blob id, with `ref` (e.g. `origin/main`), or the pull
 * request's base commit, or the first of origin/HEAD, origin/main, origin/master, main, master that
 * exists. No git, or none of these: nothing counts as merged, and every start is judged against now.
 */
export async function findMergedRequests(
  root: string,
  paths: string[],
  opts: { ref?: string; env: Env },
): Promise<MergedRequests> {
  const { env } = opts;
  const event = await readEvent(env);
  const defaultBranch = event.repository?.default_branch;
  const onPull = /^pull_request/.test(env.GITHUB_EVENT_NAME ?? "");
  if (!opts.ref && !onPull && defaultBranch && env.GITHUB_REF === `refs/heads/${defaultBranch}`)
    return { merged: new Set(paths), against: env.GITHUB_REF };
  if (paths.length === 0) return { merged: new Set(), against: undefined };

  let against: string | undefined;
  let commit: string | undefined;
  if (opts.ref) {
    commit = await commitOf(root, opts.ref);
    if (!commit)
      throw new ConfigError(
        `--default-branch ${opts.ref} names no commit in the git checkout at ${root}`,
        "name the default branch as git knows it, e.g. origin/main (git fetch origin main first)",
      );
    against = opts.ref;
  } else {
    const base = onPull ? event.pull_request?.base?.sha : undefined;
    const candidates = [
      ...(base && /^[0-9a-f]{40}$/.test(base) ? [base] : []),
      ...(defaultBranch ? [`origin/${defaultBranch}`] : []),
      ...DEFAULT_REFS,
    ];
    for (const c of candidates) {
      commit = await commitOf(root, c);
      if (commit) {
        against = c;
        break;
      }
    }
    if (!commit) return { merged: new Set(), against: undefined };
  }

  // Blob ids on the branch (paths relative to root, which may be a subfolder of the git checkout)...
  const tree = await git(root, ["ls-tree", "-r", "-z", commit!, "--", ...new Set(paths.map(folderOf))]);
  const onBranch = new Map<string, string>();
  for (const entry of (tree ?? "").split("\0")) {
    const m = /^\d+ blob ([0-9a-f]+)\t(.+)$/s.exec(entry);
    if (m) onBranch.set(m[2]!, m[1]!);
  }
  // ...and in the working tree, hashed as git would store them.
  const candidates = paths.filter((p) => onBranch.has(p));
  if (candidates.length === 0) return { merged: new Set(), against };
  // Absolute paths: with --stdin-paths git reads them from the top of the checkout, not from root.
  const input = candidates.map((p) => join(root, p)).join("\n") + "\n";
  const hashed = await git(root, ["hash-object", "--stdin-paths"], input);
  const ids = (hashed ?? "").split("\n");
  const merged = new Set(candidates.filter((p, i) => ids[i] !== undefined && ids[i] === onBranch.get(p)));
  return { merged, against };
}

function folderOf(path: string): string {
  const i = path.lastIndexOf("/");
  return i < 0 ? "." : path.slice(0, i);
}
