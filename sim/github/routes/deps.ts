import { found } from "../errors.js";
import type { SimOperations } from "../operations.js";
import type { ApiRequest } from "../router.js";
import type { ShapeContext } from "../shapes/context.js";
import type { SimState } from "../state.js";
import type { SimApp, SimPull, SimRepo } from "../types.js";

/** What route handlers work with. */
export interface RouteDeps {
  state: SimState;
  ops: SimOperations;
  app: SimApp;
  ctx: () => ShapeContext;
  /** Issues a token for an installation and remembers it stands for the app's bot. */
  issueToken: (installationId: number) => { token: string; expiresAt: string };
  /** Installation an `Authorization` header's token was issued for (undefined for other tokens). */
  tokenInstallation: (authorization: string | undefined) => number | undefined;
}

/** The repository named by `{owner}/{repo}`, or 404. */
export function repoParam(deps: RouteDeps, req: ApiRequest): SimRepo {
  return found(deps.state.findRepo(`${req.params.owner}/${req.params.repo}`), "Repository");
}

/** The pull request named by `{pull_number}`, or 404. */
export function pullParam(deps: RouteDeps, req: ApiRequest): { r: SimRepo; p: SimPull } {
  const r = repoParam(deps, req);
  return { r, p: found(deps.state.pullsOf(r).get(Number(req.params.pull_number)), "PullRequest") };
}

/** "owner/name" of a repository. */
export function fullNameOf(r: SimRepo): string {
  return `${r.owner}/${r.name}`;
}
