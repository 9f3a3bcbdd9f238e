import type { DirectorySnapshot } from "../core/evaluate/pull-snapshot.js";
import type { GitHubClient } from "./client.js";
import { CACHE_BOUNDS, LruCache } from "./lru-cache.js";
import type { ApiUser } from "./read-pull.js";

/** How long team membership is trusted before it is read again. */
export const TEAM_TTL_MS = 60_000;

const teamCache = new LruCache<ApiUser[]>(CACHE_BOUNDS.readDirectory, TEAM_TTL_MS);

/** Members of `org/team` (child teams included, as GitHub lists them); an unknown team has none. */
export async function readTeam(gh: GitHubClient, team: string): Promise<ApiUser[]> {
  const hit = teamCache.get(team.toLowerCase());
  if (hit) return hit;
  const [org, slug] = team.split("/");
  let members: ApiUser[];
  try {
    const list = await gh.paginate("GET /orgs/{org}/teams/{team_slug}/members", {
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
  teamCache.set(team.toLowerCase(), members);
  return members;
}

/** The directory a decision needs: the given users, and the members of the given teams. */
export async function readDirectory(
  gh: GitHubClient,
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
    const members = await readTeam(gh, team);
    members.forEach(add);
    dir.teams[team] = members.map((m) => m.login);
  }
  return dir;
}
