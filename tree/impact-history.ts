import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { isRequestPath } from "../core/check-request.js";
import { CODEOWNERS_PATHS } from "../core/codeowners.js";
import { ConfigError } from "../core/config-error.js";
import type { ReplayCoverage, ReplayRequest } from "../core/impact/replay-input.js";
import { isPolicyPath, loadPolicy } from "../core/load-policy.js";
import type { PrincipalMap, SourceFile } from "../core/types.js";
import { DEFAULT_REFS } from "./merged-requests.js";

const run = promisify(execFile);

/** Most merged requests a local replay reads before it reports itself partial. */
export const MAX_LOCAL_REQUESTS = 1000;

async function git(root: string, args: string[]): Promise<string> {
  const { stdout } = await run("git", args, { cwd: root, maxBuffer: 256 * 1024 * 1024 });
  return stdout;
}

/** What a checkout tells about a policy change: the base's files and the requests merged on it. */
export interface LocalImpactHistory {
  /** The ref the base was read from, as given or found (e.g. origin/HEAD). */
  against: string;
  baseFiles: SourceFile[];
  requests: ReplayRequest[];
  coverage: ReplayCoverage;
}

/**
 * Reads, from the git checkout at `root`, the base policy (`git show REF:path`) and the request
 * files added or changed on the base's first-parent history since `since` (one entry per commit
 * that landed them: the merge or squash commit, judged at its commit time). Git knows no reviews
 * and no GitHub logins: the requester is the login whose principal is the commit author's email
 * (the merged branch's author for a merge commit), else unknown.
 */
export async function readLocalImpactHistory(
  root: string,
  opts: { base?: string; since: Date; maxRequests?: number },
): Promise<LocalImpactHistory> {
  const commitOf = async (ref: string) =>
    (await git(root, ["rev-parse", "--verify", "--quiet", `${ref}^{commit}`]).catch(() => "")).trim();
  if (!(await git(root, ["rev-parse", "--is-inside-work-tree"]).catch(() => "")).includes("true"))
    throw new ConfigError(
      `${root} is not a git checkout`,
      "jitops impact reads the base policy and merged requests from git",
    );
  let against = opts.base;
  let commit = against ? await commitOf(against) : "";
  if (against && !commit)
    throw new ConfigError(
      `--base ${against} names no commit in the git checkout at ${root}`,
      "name the base as git knows it, e.g. origin/main (git fetch origin main first)",
    );
  for (const ref of against ? [] : DEFAULT_REFS) {
    commit = await commitOf(ref);
    if (commit) {
      against = ref;
      break;
    }
  }
  if (!against || !commit)
    throw new ConfigError(
      `no default branch found in ${root} (tried ${DEFAULT_REFS.join(", ")})`,
      "pass --base <ref>, e.g. --base origin/main",
    );

  const listed = await git(root, [
    "ls-tree",
    "-r",
    "--name-only",
    commit,
    "--",
    "policies",
    ...CODEOWNERS_PATHS,
  ]);
  const paths = listed.split("\n").filter((p) => isPolicyPath(p) || CODEOWNERS_PATHS.includes(p));
  const owners = CODEOWNERS_PATHS.find((p) => paths.includes(p));
  const baseFiles = await Promise.all(
    paths
      .filter((p) => isPolicyPath(p) || p === owners)
      .map(async (path) => ({ path, content: await git(root, ["show", `${commit}:./${path}`]) })),
  );
  const principals = principalsOf(baseFiles);

  const log = await git(root, [
    "log",
    "--first-parent",
    "--diff-merges=first-parent",
    "--diff-filter=AM",
    "--name-only",
    "--relative",
    `--since=${opts.since.toISOString()}`,
    "--format=%x1e%H%x1f%P%x1f%cI%x1f%ae%x1f%s",
    commit,
    "--",
    "access/requests/",
  ]);
  const max = opts.maxRequests ?? MAX_LOCAL_REQUESTS;
  const requests: ReplayRequest[] = [];
  const unknown = new Set<string>();
  let partial: ReplayCoverage["partial"];
  const entries = log.split("\x1e").filter((e) => e.trim());
  for (const entry of entries) {
    const [header, ...rest] = entry.split("\n");
    const [sha, parents, date, email, subject] = header!.split("\x1f") as [
      string,
      string,
      string,
      string,
      string,
    ];
    const files = rest.map((l) => l.trim()).filter(isRequestPath);
    if (files.length === 0) continue;
    if (requests.length >= max) {
      partial = { reason: "requests", message: `read the ${max} most recent of ${entries.length} commits` };
      break;
    }
    const second = parents.split(" ")[1];
    const authorEmail = second
      ? (await git(root, ["log", "-1", "--format=%ae", second, "--", ...files]).catch(() => "")).trim() ||
        email
      : email;
    const author = loginOf(authorEmail, principals);
    if (!author) unknown.add(authorEmail);
    const pr = /Merge pull request #(\d+)/.exec(subject) ?? /\(#(\d+)\)\s*$/.exec(subject);
    requests.push({
      ...(pr ? { pr: Number(pr[1]) } : {}),
      commit: sha,
      state: "merged",
      at: new Date(date).toISOString(),
      snapshot: {
        author,
        head: sha,
        files: await Promise.all(
          files.map(async (path) => ({
            path,
            status: "added" as const,
            content: await git(root, ["show", `${sha}:./${path}`]),
          })),
        ),
        commits: [],
        reviews: [],
        labels: [],
      },
    });
  }
  const notes = [
    ...(unknown.size > 0
      ? [
          `${unknown.size} commit author${unknown.size === 1 ? "" : "s"} (${[...unknown].slice(0, 3).join(", ")}) map to no principal in policy, so those requesters are unknown.`,
        ]
      : []),
  ];
  return {
    against,
    baseFiles,
    requests,
    coverage: {
      since: opts.since.toISOString(),
      reviews: false,
      openPulls: false,
      ...(partial ? { partial } : {}),
      ...(notes.length > 0 ? { notes } : {}),
    },
  };
}

/** Logins by the email of their GCP (`user:EMAIL`) or Kubernetes principal in the base policy. */
function principalsOf(files: SourceFile[]): Map<string, string> {
  const byEmail = new Map<string, string>();
  const principals = loadPolicy(files.filter((f) => isPolicyPath(f.path))).policy?.source.principals ?? {};
  for (const [login, map] of Object.entries(principals) as [string, PrincipalMap][])
    for (const p of [map.gcp, map.kubernetes])
      if (p && /@/.test(p)) byEmail.set(p.replace(/^user:/, "").toLowerCase(), login);
  return byEmail;
}

function loginOf(email: string, principals: Map<string, string>): string {
  return principals.get(email.toLowerCase()) ?? "";
}
