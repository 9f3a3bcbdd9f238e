import type { SimCommit, SimRepo, TreeEntry } from "../types.js";
import type { ShapeContext } from "./context.js";
import { gitCommitShape } from "./pull-request.js";

function links(ctx: ShapeContext, r: SimRepo, path: string, ref: string, sha: string, kind: "blob" | "tree") {
  const full = `${r.owner}/${r.name}`;
  const self = `${ctx.base}/repos/${full}/contents/${encodeURI(path)}?ref=${ref}`;
  const git = `${ctx.base}/repos/${full}/git/${kind === "blob" ? "blobs" : "trees"}/${sha}`;
  const html = `${ctx.base}/${full}/${kind}/${ref}/${encodeURI(path)}`;
  return { url: self, git_url: git, html_url: html, _links: { self, git, html } };
}

/** GitHub sends a file's content in the JSON answer only up to 1 MB; above, `encoding: "none"`. */
const MAX_INLINE_BYTES = 1024 * 1024;

/** A file as GET contents returns it (`content-file`), content in base64 (empty above 1 MB). */
export function contentFileShape(ctx: ShapeContext, r: SimRepo, ref: string, path: string, sha: string) {
  const content = Buffer.from(ctx.state.blob(sha), "utf8");
  const full = `${r.owner}/${r.name}`;
  const inline = content.length <= MAX_INLINE_BYTES;
  return {
    type: "file" as const,
    encoding: inline ? "base64" : "none",
    size: content.length,
    name: path.split("/").pop() ?? path,
    path,
    content: inline ? content.toString("base64").replace(/(.{60})/g, "$1\n") : "",
    sha,
    ...links(ctx, r, path, ref, sha, "blob"),
    download_url: `${ctx.base}/${full}/raw/${ref}/${encodeURI(path)}`,
  };
}

/** One entry of a directory listing (`content-directory` items). */
export function directoryEntryShape(ctx: ShapeContext, r: SimRepo, ref: string, dir: string, e: TreeEntry) {
  const path = dir === "" ? e.name : `${dir}/${e.name}`;
  const full = `${r.owner}/${r.name}`;
  return {
    type: e.type === "tree" ? ("dir" as const) : ("file" as const),
    size: e.type === "tree" ? 0 : (e.size ?? 0),
    name: e.name,
    path,
    sha: e.sha,
    ...links(ctx, r, path, ref, e.sha, e.type),
    download_url: e.type === "tree" ? null : `${ctx.base}/${full}/raw/${ref}/${encodeURI(path)}`,
  };
}

/** A tree (`git-tree`); `recursive` lists every blob and subtree under it with full paths. */
export function gitTreeShape(ctx: ShapeContext, r: SimRepo, sha: string, recursive: boolean) {
  const full = `${r.owner}/${r.name}`;
  const tree: { path: string; mode: string; type: string; sha: string; size?: number; url: string }[] = [];
  const walk = (treeSha: string, prefix: string): void => {
    for (const e of ctx.state.trees.get(treeSha) ?? []) {
      const path = `${prefix}${e.name}`;
      const url = `${ctx.base}/repos/${full}/git/${e.type === "tree" ? "trees" : "blobs"}/${e.sha}`;
      tree.push({
        path,
        mode: e.mode,
        type: e.type,
        sha: e.sha,
        ...(e.size !== undefined ? { size: e.size } : {}),
        url,
      });
      if (recursive && e.type === "tree") walk(e.sha, `${path}/`);
    }
  };
  walk(sha, "");
  return { sha, url: `${ctx.base}/repos/${full}/git/trees/${sha}`, tree, truncated: false };
}

/** The answer of PUT/DELETE contents (`file-commit`). */
export function fileCommitShape(ctx: ShapeContext, r: SimRepo, c: SimCommit, path: string) {
  const blob = c.files.get(path);
  const full = `${r.owner}/${r.name}`;
  const commit = gitCommitShape(ctx, r, c);
  return {
    content: blob === undefined ? null : contentFileShape(ctx, r, c.sha, path, blob),
    commit: {
      sha: c.sha,
      node_id: Buffer.from(`0:Commit${c.sha}`).toString("base64"),
      url: commit.url,
      html_url: `${ctx.base}/${full}/commit/${c.sha}`,
      author: commit.author,
      committer: commit.committer,
      message: c.message,
      tree: commit.tree,
      parents: c.parents.map((sha) => ({
        sha,
        url: `${ctx.base}/repos/${full}/git/commits/${sha}`,
        html_url: `${ctx.base}/${full}/commit/${sha}`,
      })),
      verification: commit.verification,
    },
  };
}
