import { SimRequestError, found } from "../errors.js";
import { listReply, paginate } from "../pagination.js";
import { route, type Route } from "../router.js";
import { publicUserShape, userShape } from "../shapes/accounts.js";
import { appShape, installationShape } from "../shapes/apps.js";
import { fullRepositoryShape, repositoryShape } from "../shapes/repository.js";
import { repoParam, type RouteDeps } from "./deps.js";

/** Repositories, users, teams, and the app/installation endpoints Probot's auth uses. */
export function accountRoutes(deps: RouteDeps): Route[] {
  const { state, app } = deps;
  const team = (org: string | undefined, slug: string | undefined) =>
    found(state.teams.get(`${org}/${slug}`.toLowerCase()), "Team");
  const installationOn = (account: string) =>
    found(state.installations.get(account.toLowerCase()), "Installation");
  // GitHub refuses an App JWT issued for another App id (a wrong APP_ID); other tokens are not JWTs.
  const appJwt = (authorization: string | undefined) => {
    const parts = (authorization ?? "").replace(/^bearer\s+/i, "").split(".");
    if (parts.length !== 3) return;
    let iss: unknown;
    try {
      iss = (JSON.parse(Buffer.from(parts[1] ?? "", "base64url").toString("utf8")) as { iss?: unknown }).iss;
    } catch {
      iss = undefined;
    }
    if (String(iss) !== String(app.id))
      throw new SimRequestError(401, "A JSON web token could not be decoded");
  };
  return [
    route("GET", "/repos/{owner}/{repo}", (req) => ({
      status: 200,
      body: fullRepositoryShape(deps.ctx(), repoParam(deps, req)),
    })),
    route("GET", "/repos/{owner}/{repo}/installation", (req) => {
      const r = repoParam(deps, req);
      return { status: 200, body: installationShape(deps.ctx(), app, installationOn(r.owner)) };
    }),
    route("GET", "/orgs/{org}/installation", (req) => ({
      status: 200,
      body: installationShape(deps.ctx(), app, installationOn(req.params.org ?? "")),
    })),
    route("GET", "/users/{username}/installation", (req) => ({
      status: 200,
      body: installationShape(deps.ctx(), app, installationOn(req.params.username ?? "")),
    })),
    route("GET", "/app", (req) => {
      appJwt(req.headers.authorization);
      return { status: 200, body: appShape(deps.ctx(), app) };
    }),
    route("GET", "/app/installations", (req) => {
      appJwt(req.headers.authorization);
      const all = [...state.installations.values()].sort((a, b) => a.id - b.id);
      return listReply(
        req,
        all.map((i) => installationShape(deps.ctx(), app, i)),
      );
    }),
    route("GET", "/app/installations/{installation_id}", (req) => {
      appJwt(req.headers.authorization);
      const inst = found(state.installationById(Number(req.params.installation_id)), "Installation");
      return { status: 200, body: installationShape(deps.ctx(), app, inst) };
    }),
    route("POST", "/app/installations/{installation_id}/access_tokens", (req) => {
      appJwt(req.headers.authorization);
      const inst = state.installationById(Number(req.params.installation_id));
      if (!inst) throw new SimRequestError(404, "Not Found");
      const { token, expiresAt } = deps.issueToken(inst.id);
      return {
        status: 201,
        body: { token, expires_at: expiresAt, permissions: app.permissions, repository_selection: "all" },
      };
    }),
    route("GET", "/installation/repositories", (req) => {
      // Tokens not issued by the simulator act for the first installation.
      const id = deps.tokenInstallation(req.headers.authorization) ?? app.installationId;
      const inst = state.installationById(id);
      const repos = inst ? state.reposOf(inst.account) : [];
      const page = paginate(req, repos);
      return {
        status: 200,
        body: {
          total_count: repos.length,
          repository_selection: "all",
          repositories: page.items.map((r) => repositoryShape(deps.ctx(), r)),
        },
        ...(page.link ? { headers: { link: page.link } } : {}),
      };
    }),
    route("GET", "/users/{username}", (req) => ({
      status: 200,
      body: publicUserShape(deps.ctx(), found(state.findUser(req.params.username ?? ""), "User")),
    })),
    route("GET", "/orgs/{org}/teams/{team_slug}/members", (req) => {
      const t = team(req.params.org, req.params.team_slug);
      const role = req.query.get("role") ?? "all";
      const members = role === "maintainer" ? [] : state.teamMembers(t.org, t.slug);
      return listReply(
        req,
        members.map((m) => userShape(deps.ctx(), state.user(m))),
      );
    }),
    route("GET", "/orgs/{org}/teams/{team_slug}/memberships/{username}", (req) => {
      const t = team(req.params.org, req.params.team_slug);
      const login = req.params.username ?? "";
      const member = state.teamMembers(t.org, t.slug).some((m) => m.toLowerCase() === login.toLowerCase());
      if (!member) throw new SimRequestError(404, "Not Found");
      return {
        status: 200,
        body: {
          url: `${deps.ctx().base}/teams/${t.id}/memberships/${login}`,
          role: "member",
          state: "active",
        },
      };
    }),
  ];
}
