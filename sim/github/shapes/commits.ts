import { diffFiles } from "../git-objects.js";
import type { SimCommit, SimRepo } from "../types.js";
import type { ShapeContext } from "./context.js";
import { commitShape, diffEntryShape } from "./pull-request.js";

/** One commit as GET commits/{ref} returns it: `commit` plus `stats` and the files changed against its first parent. */
export function commitDetailShape(ctx: ShapeContext, r: SimRepo, c: SimCommit) {
  const first = c.parents[0];
  const before = first ? ctx.state.commit(first).files : new Map<string, string>();
  const files = diffFiles(before, c.files, (sha) => ctx.state.blob(sha));
  const additions = files.reduce((n, f) => n + f.additions, 0);
  const deletions = files.reduce((n, f) => n + f.deletions, 0);
  return {
    ...commitShape(ctx, r, c),
    stats: { additions, deletions, total: additions + deletions },
    files: files.map((f) => diffEntryShape(ctx, r, c.sha, f)),
  };
}
