import type { DirectorySnapshot, PullSnapshot } from "./pull-snapshot.js";

/** Who is who in one evaluation: logins resolved to numeric ids, case-insensitively. */
export interface Identities {
  idOf(login: string, knownId?: number): number | undefined;
  loginOf(id: number): string;
  isBot(id: number, login?: string): boolean;
  /** Numeric ids of a team's members; empty when the team is unknown. */
  teamIds(team: string): Set<number>;
  /** Teams (lowercase org/team) that the user with this id belongs to. */
  teamsOf(id: number): string[];
  authorId: number | undefined;
  /** The author and every commit author: their approvals never count. */
  excluded: Set<number>;
}

/** Builds the identity index for one pull request and directory. */
export function buildIdentities(pr: PullSnapshot, dir: DirectorySnapshot): Identities {
  const byLogin = new Map<string, { id: number; type?: string }>();
  const logins = new Map<number, string>();
  const bots = new Set<number>();
  for (const [login, u] of Object.entries(dir.users)) {
    byLogin.set(login.toLowerCase(), u);
    if (!logins.has(u.id)) logins.set(u.id, login);
    if (u.type === "Bot") bots.add(u.id);
  }
  const idOf = (login: string, knownId?: number) => knownId ?? byLogin.get(login.toLowerCase())?.id;
  const teams = new Map<string, Set<number>>();
  for (const [team, members] of Object.entries(dir.teams)) {
    const ids = new Set<number>();
    for (const m of members) {
      const id = idOf(m);
      if (id !== undefined) ids.add(id);
    }
    teams.set(team.toLowerCase(), ids);
  }
  const authorId = idOf(pr.author, pr.authorId);
  const excluded = new Set<number>();
  if (authorId !== undefined) excluded.add(authorId);
  for (const c of pr.commits) {
    const id = c.author === null ? c.authorId : idOf(c.author, c.authorId);
    if (id !== undefined) excluded.add(id);
  }
  return {
    idOf,
    loginOf: (id) => logins.get(id) ?? `#${id}`,
    isBot: (id, login) => bots.has(id) || Boolean(login?.endsWith("[bot]")),
    teamIds: (team) => teams.get(team.toLowerCase()) ?? new Set(),
    teamsOf: (id) => [...teams].filter(([, ids]) => ids.has(id)).map(([t]) => t),
    authorId,
    excluded,
  };
}
