import type { DirectorySnapshot } from "../evaluate/pull-snapshot.js";
import type { FileError, FileResult } from "../file-error.js";
import { parseYaml, pointerSegment } from "../yaml/parse-yaml.js";

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);

/**
 * Parses a directory file for `jitops impact --directory`: the `directory:` of a policy test case
 * (`users: {login: {id, type}}`, `teams: {org/team: [logins]}`), at the top level or under
 * `directory:` (so a test case file works as is). Problems are `directory.invalid` at their position.
 */
export function parseDirectory(source: string): FileResult<DirectorySnapshot> {
  const parsed = parseYaml(source);
  if (!parsed.ok) return parsed;
  const { data, spans } = parsed.value;
  const errors: FileError[] = [];
  const bad = (pointer: string, message: string) => {
    const s = spans.get(pointer);
    errors.push({ ...(s?.value ?? { line: 1, column: 1 }), code: "directory.invalid", message });
  };
  const under = isObj(data) && isObj(data.directory) ? "/directory" : "";
  const dir = under ? (data as Obj).directory : data;
  if (!isObj(dir) || (!isObj(dir.users) && !isObj(dir.teams))) {
    bad(
      under,
      "a directory is a mapping with users ({login: {id: 101}}) and teams ({org/team: [login, ...]}), at the top level or under directory:",
    );
    return { ok: false, errors };
  }
  const users: DirectorySnapshot["users"] = {};
  if (dir.users !== undefined && !isObj(dir.users))
    bad(`${under}/users`, "users must map logins to {id: <number>}");
  for (const [login, u] of Object.entries(isObj(dir.users) ? dir.users : {})) {
    const at = `${under}/users/${pointerSegment(login)}`;
    const id = isObj(u) ? u.id : undefined;
    if (typeof id !== "number" || !Number.isInteger(id) || id < 1) {
      bad(
        isObj(u) && u.id !== undefined ? `${at}/id` : at,
        `user ${login} needs a positive numeric id, e.g. {id: 101}`,
      );
      continue;
    }
    const type = isObj(u) ? u.type : undefined;
    if (type !== undefined && type !== "User" && type !== "Bot") {
      bad(`${at}/type`, `type of ${login} must be User or Bot`);
      continue;
    }
    users[login] = { id, ...(type ? { type } : {}) };
  }
  const teams: DirectorySnapshot["teams"] = {};
  if (dir.teams !== undefined && !isObj(dir.teams))
    bad(`${under}/teams`, "teams must map org/team to a list of logins");
  for (const [team, members] of Object.entries(isObj(dir.teams) ? dir.teams : {})) {
    const at = `${under}/teams/${pointerSegment(team)}`;
    if (!/^[^/\s]+\/[^/\s]+$/.test(team)) bad(at, `team ${team} must be written org/team`);
    else if (!Array.isArray(members) || members.some((m) => typeof m !== "string"))
      bad(at, `team ${team} must list member logins, e.g. [alice, bob]`);
    else {
      const unknown = members.filter(
        (m) => !Object.keys(users).some((u) => u.toLowerCase() === m.toLowerCase()),
      );
      if (unknown.length > 0)
        bad(at, `team ${team} lists ${unknown.join(", ")}, not under users: add each with its numeric id`);
      else teams[team] = members as string[];
    }
  }
  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, value: { users, teams } };
}
