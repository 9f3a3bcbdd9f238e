import type { DirectorySnapshot } from "../core/evaluate/pull-snapshot.js";
import type { GitHubSession } from "./github-caches.js";
import type { ApiUser } from "../app/ports.js";

/** Members of `org/team` (child teams included, as GitHub lists them); an unknown team has none. */
export async function readTeam(s: GitHubSession, team: string): Promise<ApiUser[]> {
  const key = `${s.scope}/${team.toLowerCase()}`;
  const hit = s.caches.teams.get(key);
  if (hit) return hit;
  const [org, slug] = team.split("/");
  let members: ApiUser[];
  try {
    const list = await s.gh.paginate("GET /orgs/{org}/teams/{team_slug}/members", {
      org: org!,
      team_slug: slug!,
      per_page: 100,
    });
    members = list
      .filter((m): m is NonNullable<typeof m> => Boolean(m))
      .map((m) => ({ login: m.login, id: m.id, type: m.type }));
  } catch (e) {
    if ((e as { status?: number }).status !== 404) throw e;
    members = [];
  }
  s.caches.teams.set(key, members);
  return members;
}

/** The directory a decision needs: the given users, and the members of the given teams. */
export async function readDirectory(
  s: GitHubSession,
  users: ApiUser[],
  teams: string[],
): Promise<DirectorySnapshot> {
  const dir: DirectorySnapshot = { users: {}, teams: {} };
  const add = (u: ApiUser) => {
    dir.users[u.login] = {
      id: u.id,
      ...(u.type === "Bot" || u.type === "User" || u.type === "Organization" ? { type: u.type } : {}),
    };
  };
  users.forEach(add);
  for (const team of teams) {
    const members = await readTeam(s, team);
    members.forEach(add);
    dir.teams[team] = members.map((m) => m.login);
  }
  return dir;
}
