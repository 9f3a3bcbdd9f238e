import { SimRequestError, found } from "../errors.js";
import { bodyString, route, type ApiRequest, type ApiReply, type Route } from "../router.js";
import { contentFileShape, directoryEntryShape, fileCommitShape, gitTreeShape } from "../shapes/contents.js";
import type { SimRepo, TreeEntry } from "../types.js";
import { fullNameOf, repoParam, type RouteDeps } from "./deps.js";

/** GitHub lists at most this many entries of one directory. */
const MAX_DIRECTORY_ENTRIES = 1000;

function wantsRaw(req: ApiRequest): boolean {
  return /\.raw\b/.test(String(req.headers.accept ?? ""));
}

/** Repository contents and git data: contents get/put/delete, trees, refs. */
export function contentRoutes(deps: RouteDeps): Route[] {
  const { state, ops } = deps;

  const getContent = (req: ApiRequest): ApiReply => {
    const r = repoParam(deps, req);
    const refName = req.query.get("ref") ?? r.defaultBranch;
    const sha = found(state.resolveRef(r, refName), `No commit found for the ref ${refName}`);
    const commit = state.commit(sha);
    const path = (req.params.path ?? "").replace(/^\/+|\/+$/g, "");
    const blob = commit.files.get(path);
    if (blob !== undefined) {
      if (wantsRaw(req)) return { status: 200, raw: state.blob(blob) };
      return { status: 200, body: contentFileShape(deps.ctx(), r, refName, path, blob) };
    }
    const entries = directoryAt(r, commit.treeSha, path);
    if (!entries) throw new SimRequestError(404, "Not Found");
    return {
      status: 200,
      body: entries
        .slice(0, MAX_DIRECTORY_ENTRIES)
        .map((e) => directoryEntryShape(deps.ctx(), r, refName, path, e)),
    };
  };

  const directoryAt = (_r: SimRepo, rootTree: string, path: string): TreeEntry[] | undefined => {
    let entries = state.trees.get(rootTree);
    for (const part of path === "" ? [] : path.split("/")) {
      const next = entries?.find((e) => e.name === part && e.type === "tree");
      entries = next ? state.trees.get(next.sha) : undefined;
    }
    return entries;
  };

  const writeContent = (req: ApiRequest, remove: boolean): ApiReply => {
    const r = repoParam(deps, req);
    const path = (req.params.path ?? "").replace(/^\/+/, "");
    const message = bodyString(req.body, "message");
    const content = bodyString(req.body, "content");
    if (!message || (!remove && content === undefined))
      throw new SimRequestError(
        422,
        `Invalid request.\n\n"${message ? "content" : "message"}" wasn't supplied.`,
      );
    const result = ops.writeFile(fullNameOf(r), {
      path,
      content: remove ? null : Buffer.from(content ?? "", "base64").toString("utf8"),
      branch: bodyString(req.body, "branch"),
      message,
      sha: bodyString(req.body, "sha"),
      by: req.actor,
    });
    const body = fileCommitShape(deps.ctx(), r, state.commit(result.commitSha), path);
    return { status: !remove && result.created ? 201 : 200, body };
  };

  return [
    route("GET", "/repos/{owner}/{repo}/contents", getContent),
    route("GET", "/repos/{owner}/{repo}/contents/{path+}", getContent),
    route("PUT", "/repos/{owner}/{repo}/contents/{path+}", (req) => writeContent(req, false)),
    route("DELETE", "/repos/{owner}/{repo}/contents/{path+}", (req) => writeContent(req, true)),
    route("GET", "/repos/{owner}/{repo}/git/trees/{tree_sha}", (req) => {
      const r = repoParam(deps, req);
      const ref = req.params.tree_sha ?? "";
      const commitSha = state.resolveRef(r, ref);
      const treeSha = commitSha ? state.commit(commitSha).treeSha : state.trees.has(ref) ? ref : undefined;
      if (!treeSha) throw new SimRequestError(404, "Not Found");
      const recursive =
        req.query.has("recursive") && !["0", "false"].includes(req.query.get("recursive") ?? "");
      return { status: 200, body: gitTreeShape(deps.ctx(), r, treeSha, recursive) };
    }),
    route("POST", "/repos/{owner}/{repo}/git/refs", (req) => {
      const r = repoParam(deps, req);
      const ref = bodyString(req.body, "ref");
      const sha = bodyString(req.body, "sha");
      if (!ref || !sha || !ref.startsWith("refs/"))
        throw new SimRequestError(
          422,
          "Reference name must start with 'refs/' and contain at least two slashes",
        );
      if (!ref.startsWith("refs/heads/"))
        throw new SimRequestError(422, "Only branch references (refs/heads/...) are simulated");
      ops.createBranch(fullNameOf(r), ref.slice("refs/heads/".length), sha, req.actor);
      const url = `${deps.ctx().base}/repos/${fullNameOf(r)}/git/${ref}`;
      return {
        status: 201,
        body: {
          ref,
          node_id: Buffer.from(`0:Ref${r.id}:${ref}`).toString("base64"),
          url,
          object: {
            type: "commit",
            sha,
            url: `${deps.ctx().base}/repos/${fullNameOf(r)}/git/commits/${sha}`,
          },
        },
      };
    }),
    route("PATCH", "/repos/{owner}/{repo}/git/refs/{ref+}", (req) => {
      const r = repoParam(deps, req);
      const ref = req.params.ref ?? "";
      const sha = bodyString(req.body, "sha");
      if (!sha) throw new SimRequestError(422, "Invalid request: sha is required");
      if (!ref.startsWith("heads/"))
        throw new SimRequestError(422, "Only branch references (heads/...) are simulated");
      ops.updateBranch(fullNameOf(r), ref.slice("heads/".length), sha, req.body.force === true, req.actor);
      const url = `${deps.ctx().base}/repos/${fullNameOf(r)}/git/refs/${ref}`;
      return {
        status: 200,
        body: {
          ref: `refs/${ref}`,
          node_id: Buffer.from(`0:Ref${r.id}:refs/${ref}`).toString("base64"),
          url,
          object: {
            type: "commit",
            sha,
            url: `${deps.ctx().base}/repos/${fullNameOf(r)}/git/commits/${sha}`,
          },
        },
      };
    }),
  ];
}
