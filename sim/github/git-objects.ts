import { createHash } from "node:crypto";
import type { TreeEntry } from "./types.js";

function sha1(data: Buffer): string {
  return createHash("sha1").update(data).digest("hex");
}

/** Git blob id of a UTF-8 file, as `git hash-object` computes it. */
export function blobSha(content: string): string {
  const body = Buffer.from(content, "utf8");
  return sha1(Buffer.concat([Buffer.from(`blob ${body.length}\0`), body]));
}

/** Git tree id of a list of entries (git's binary tree format and sort order). */
export function treeSha(entries: readonly TreeEntry[]): string {
  const sorted = [...entries].sort((a, b) => {
    const ka = a.type === "tree" ? `${a.name}/` : a.name;
    const kb = b.type === "tree" ? `${b.name}/` : b.name;
    return ka < kb ? -1 : ka > kb ? 1 : 0;
  });
  const parts = sorted.map((e) =>
    Buffer.concat([
      Buffer.from(`${e.mode === "040000" ? "40000" : e.mode} ${e.name}\0`),
      Buffer.from(e.sha, "hex"),
    ]),
  );
  const body = Buffer.concat(parts);
  return sha1(Buffer.concat([Buffer.from(`tree ${body.length}\0`), body]));
}

/** Inputs of a commit object. */
export interface CommitInput {
  treeSha: string;
  parents: readonly string[];
  authorName: string;
  authorEmail: string;
  /** Committer identity; the author's when omitted. */
  committerName?: string;
  committerEmail?: string;
  date: string;
  message: string;
}

/** Git commit id of a commit object. */
export function commitSha(c: CommitInput): string {
  const when = `${Math.floor(Date.parse(c.date) / 1000)} +0000`;
  const lines = [
    `tree ${c.treeSha}`,
    ...c.parents.map((p) => `parent ${p}`),
    `author ${c.authorName} <${c.authorEmail}> ${when}`,
    `committer ${c.committerName ?? c.authorName} <${c.committerEmail ?? c.authorEmail}> ${when}`,
    "",
    c.message,
    "",
  ];
  const body = Buffer.from(lines.join("\n"), "utf8");
  return sha1(Buffer.concat([Buffer.from(`commit ${body.length}\0`), body]));
}

/** Builds every tree object of a flat file map; returns the root sha and all trees by sha. */
export function buildTrees(
  files: ReadonlyMap<string, string>,
  blobSize: (sha: string) => number,
): { root: string; trees: Map<string, TreeEntry[]> } {
  const trees = new Map<string, TreeEntry[]>();
  const build = (prefix: string): string => {
    const entries: TreeEntry[] = [];
    const dirs = new Set<string>();
    for (const [path, sha] of files) {
      if (!path.startsWith(prefix)) continue;
      const rest = path.slice(prefix.length);
      const slash = rest.indexOf("/");
      if (slash === -1) entries.push({ name: rest, mode: "100644", type: "blob", sha, size: blobSize(sha) });
      else dirs.add(rest.slice(0, slash));
    }
    for (const dir of dirs)
      entries.push({ name: dir, mode: "040000", type: "tree", sha: build(`${prefix}${dir}/`) });
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const sha = treeSha(entries);
    trees.set(sha, entries);
    return sha;
  };
  return { root: build(""), trees };
}

/** One changed file between two trees, shaped like GitHub's diff entries. */
export interface FileChange {
  filename: string;
  status: "added" | "modified" | "removed" | "renamed";
  previousFilename?: string;
  sha: string | null;
  additions: number;
  deletions: number;
}

function lines(text: string): string[] {
  if (text === "") return [];
  return text.replace(/\n$/, "").split("\n");
}

/** Line counts added and removed between two texts (multiset difference, not a minimal diff). */
export function lineDelta(before: string, after: string): { additions: number; deletions: number } {
  const counts = new Map<string, number>();
  for (const l of lines(before)) counts.set(l, (counts.get(l) ?? 0) + 1);
  let additions = 0;
  for (const l of lines(after)) {
    const n = counts.get(l) ?? 0;
    if (n > 0) counts.set(l, n - 1);
    else additions++;
  }
  let deletions = 0;
  for (const n of counts.values()) deletions += n;
  return { additions, deletions };
}

/** Files changed from `base` to `head`; a removed and an added file with equal content count as a rename. */
export function diffFiles(
  base: ReadonlyMap<string, string>,
  head: ReadonlyMap<string, string>,
  readBlob: (sha: string) => string,
): FileChange[] {
  const changes: FileChange[] = [];
  const removed = new Map<string, string>();
  for (const [path, sha] of base) if (!head.has(path)) removed.set(path, sha);
  const added: [string, string][] = [];
  for (const [path, sha] of head) {
    const old = base.get(path);
    if (old === undefined) added.push([path, sha]);
    else if (old !== sha)
      changes.push({ filename: path, status: "modified", sha, ...lineDelta(readBlob(old), readBlob(sha)) });
  }
  for (const [path, sha] of added) {
    const from = [...removed].find(([, s]) => s === sha)?.[0];
    if (from !== undefined) {
      removed.delete(from);
      changes.push({
        filename: path,
        status: "renamed",
        previousFilename: from,
        sha,
        additions: 0,
        deletions: 0,
      });
    } else {
      changes.push({ filename: path, status: "added", sha, ...lineDelta("", readBlob(sha)) });
    }
  }
  for (const [path, sha] of removed) {
    changes.push({ filename: path, status: "removed", sha, ...lineDelta(readBlob(sha), "") });
  }
  return changes.sort((a, b) => (a.filename < b.filename ? -1 : a.filename > b.filename ? 1 : 0));
}
