import { CODEOWNERS_PATHS } from "./codeowners.js";
import type { DecisionKind } from "./evaluate/decision.js";
import type { DirectorySnapshot, PullSnapshot } from "./evaluate/pull-snapshot.js";
import type { FileError, FileResult } from "./file-error.js";
import { parseRfc3339 } from "./rfc3339.js";
import type { SourceFile } from "./types.js";
import { parseYaml, pointerSegment, type Span } from "./yaml/parse-yaml.js";

/** A policy test case (`policies/tests/*.test.yaml`), parsed. */
export interface PolicyTestCase {
  name: string;
  now: Date;
  /** The whole base tree; undefined means the repository's own files. */
  base: SourceFile[] | undefined;
  pr: PullSnapshot;
  directory: DirectorySnapshot;
  expect: { decision: DecisionKind; reason?: string } | undefined;
}

const DECISIONS = ["approved", "pending", "denied", "invalid"];
const STATUSES = ["added", "modified", "removed", "renamed"];
const STATES = ["APPROVED", "CHANGES_REQUESTED", "COMMENTED", "DISMISSED", "PENDING"];
const TOP_KEYS = ["name", "now", "base", "pr", "directory", "expect"];

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);

/** Parses a test case file, with positioned errors for anything malformed. */
export function parseTestCase(source: string): FileResult<PolicyTestCase> {
  const parsed = parseYaml(source);
  if (!parsed.ok) return parsed;
  const { data, spans } = parsed.value;
  const errors: FileError[] = [];
  const bad = (pointer: string, message: string, code = "case.invalid") => {
    const s: Span = spans.get(pointer) ?? { value: { line: 1, column: 1 } };
    errors.push({ ...s.value, code, message });
  };
  if (!isObj(data))
    return {
      ok: false,
      errors: [
        {
          line: 1,
          column: 1,
          code: "case.invalid",
          message: "a test case is a mapping with name, now, pr, directory and expect",
        },
      ],
    };
  for (const k of Object.keys(data)) {
    if (!TOP_KEYS.includes(k))
      bad(`/${k}`, `unknown key "${k}"; accepted keys: ${TOP_KEYS.join(", ")}`, "schema.additional");
  }
  const str = (v: unknown, pointer: string, what: string): string => {
    if (typeof v === "string" && v) return v;
    bad(pointer, `${what} must be a non-empty string`);
    return "";
  };
  const name = str(data.name, "/name", "name");
  const now = parseRfc3339(data.now);
  if (!now) bad("/now", "now must be an RFC 3339 time with a zone, e.g. 2026-11-24T10:00:00Z");
  let base: SourceFile[] | undefined;
  if (data.base !== undefined) {
    if (!isObj(data.base)) bad("/base", "base must map paths to file contents");
    else {
      base = Object.entries(data.base).map(([path, content]) => ({
        path,
        content: typeof content === "string" ? content : "",
      }));
      for (const { path } of base) {
        // A CODEOWNERS GitHub never reads would silently own nothing: say where it is read.
        if (!/(^|\/)codeowners$/i.test(path) || CODEOWNERS_PATHS.includes(path)) continue;
        const at = spans.get(`/base/${pointerSegment(path)}`);
        errors.push({
          ...(at?.key ?? at?.value ?? { line: 1, column: 1 }),
          code: "case.codeowners-location",
          message: `base file ${path} is not read as CODEOWNERS; GitHub reads the first of ${CODEOWNERS_PATHS.join(", ")}`,
        });
      }
    }
  }
  const pr = isObj(data.pr)
    ? data.pr
    : (bad("/pr", "pr must be a mapping with author, head, files, commits and reviews"), {});
  const files = Array.isArray(pr.files) ? pr.files : [];
  const snapshot: PullSnapshot = {
    author: str(pr.author, "/pr/author", "pr.author"),
    head: str(pr.head, "/pr/head", "pr.head"),
    files: files.map((f: unknown, i) => {
      const p = `/pr/files/${i}`;
      const o = isObj(f) ? f : {};
      const status = String(o.status ?? "");
      if (!STATUSES.includes(status)) bad(`${p}/status`, `status must be one of ${STATUSES.join(", ")}`);
      return {
        path: str(o.path, `${p}/path`, "path"),
        status: status as PullSnapshot["files"][number]["status"],
        ...(typeof o.content === "string" ? { content: o.content } : {}),
        ...(typeof o.previousPath === "string" ? { previousPath: o.previousPath } : {}),
      };
    }),
    commits: (Array.isArray(pr.commits) ? pr.commits : []).map((c: unknown, i) => {
      const o = isObj(c) ? c : {};
      return {
        sha: str(o.sha, `/pr/commits/${i}/sha`, "sha"),
        author: typeof o.author === "string" ? o.author : null,
      };
    }),
    reviews: (Array.isArray(pr.reviews) ? pr.reviews : []).map((r: unknown, i) => {
      const o = isObj(r) ? r : {};
      const state = String(o.state ?? "");
      if (!STATES.includes(state)) bad(`/pr/reviews/${i}/state`, `state must be one of ${STATES.join(", ")}`);
      return {
        user: str(o.user, `/pr/reviews/${i}/user`, "user"),
        state: state as PullSnapshot["reviews"][number]["state"],
        commit: str(o.commit, `/pr/reviews/${i}/commit`, "commit"),
      };
    }),
    labels: Array.isArray(pr.labels) ? pr.labels.map(String) : [],
  };
  const dir = isObj(data.directory)
    ? data.directory
    : (bad("/directory", "directory must be a mapping with users and teams"), {});
  const users: DirectorySnapshot["users"] = {};
  for (const [login, u] of Object.entries(isObj(dir.users) ? dir.users : {})) {
    const id = isObj(u) ? u.id : undefined;
    if (typeof id !== "number" || !Number.isInteger(id))
      bad(`/directory/users/${login}`, `user ${login} needs a numeric id`);
    else
      users[login] = { id, ...(isObj(u) && (u.type === "Bot" || u.type === "User") ? { type: u.type } : {}) };
  }
  const teams: Record<string, string[]> = {};
  for (const [team, members] of Object.entries(isObj(dir.teams) ? dir.teams : {})) {
    teams[team] = Array.isArray(members) ? members.map(String) : [];
  }
  let expect: PolicyTestCase["expect"];
  if (data.expect !== undefined) {
    const e = isObj(data.expect) ? data.expect : {};
    if (!DECISIONS.includes(String(e.decision)))
      bad("/expect/decision", `expect.decision must be one of ${DECISIONS.join(", ")}`);
    expect = {
      decision: e.decision as DecisionKind,
      ...(typeof e.reason === "string" ? { reason: e.reason } : {}),
    };
  }
  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, value: { name, now: now!, base, pr: snapshot, directory: { users, teams }, expect } };
}
