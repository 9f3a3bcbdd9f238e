/**
 * Small fixtures for `evaluatePull`: a compact policy and CODEOWNERS for the base, a directory, a
 * pull request builder with sensible defaults (alice asks for db-read on head c2) and review helpers.
 */
import type { Decision } from "../../../core/evaluate/decision.js";
import { evaluatePull } from "../../../core/evaluate/evaluate-pull.js";
import { prepareBase, type PreparedBase } from "../../../core/evaluate/prepare-base.js";
import type {
  ChangedFile,
  DirectorySnapshot,
  FileStatus,
  PullSnapshot,
  Review,
} from "../../../core/evaluate/pull-snapshot.js";
import type { SourceFile } from "../../../core/types.js";

export const NOW = new Date("2026-11-24T10:00:00Z");

/**
 * The base policy. db-read: one SRE; db-admin: one SRE and one code owner; staging: no approval;
 * debug: may be requested for others; leads: two platform leads; solo: only carol approves.
 */
export const POLICY_YAML = `apiVersion: jitops.dev/v1
kind: Policy
metadata:
  name: base
spec:
  principals:
    alice: {gcp: "user:alice@acme.example"}
    bob: {gcp: "user:bob@acme.example"}
    carol: {gcp: "user:carol@acme.example"}
    dave: {gcp: "user:dave@acme.example"}
  policyOwners:
    - {name: security, count: 2, from: {teams: [acme/security]}}
  entitlements:
    - name: db-read
      grants:
        - gcp: {resource: projects/acme-prod, role: roles/cloudsql.viewer}
      eligible: {teams: [acme/backend]}
      maxDuration: 8h
      require: {ticket: "^INC-[0-9]+$"}
      approval:
        - {name: sre, count: 1, from: {teams: [acme/sre]}}
      breakGlass: {maxDuration: 1h}
      autoMerge: true
    - name: db-admin
      grants:
        - gcp: {resource: projects/acme-prod, role: roles/cloudsql.admin}
      eligible: {teams: [acme/sre]}
      maxDuration: 2h
      approval:
        - {name: sre, count: 1, from: {teams: [acme/sre]}}
        - {name: owners, count: 1, from: {codeowners: true}}
    - name: staging
      grants:
        - gcp: {resource: projects/acme-staging, role: roles/browser}
      eligible: {teams: [acme/backend]}
      maxDuration: 1d
      approval: none
      autoMerge: true
    - name: debug
      grants:
        - gcp: {resource: projects/acme-prod, role: roles/logging.viewer}
      eligible: {teams: [acme/sre]}
      maxDuration: 12h
      requestForOthers: true
      approval:
        - {name: sre, count: 1, from: {teams: [acme/sre]}}
    - name: leads
      grants:
        - gcp: {resource: projects/acme-prod, role: roles/cloudsql.editor}
      eligible: {teams: [acme/backend]}
      maxDuration: 4h
      approval:
        - {name: leads, count: 2, from: {teams: [acme/leads]}}
    - name: solo
      grants:
        - gcp: {resource: projects/acme-prod, role: roles/cloudsql.client}
      eligible: {teams: [acme/backend]}
      maxDuration: 4h
      approval:
        - {name: carol-only, count: 1, from: {users: [carol]}}
`;

export const POLICY_PATH = "policies/base.yaml";

export const CODEOWNERS = `*                  @acme/security
/access/requests/  @acme/sre @acme/db-owners
`;

/** The base tree: the policy and CODEOWNERS, with `files` added or replacing them. */
export function baseTree(files: Record<string, string> = {}): SourceFile[] {
  const tree: Record<string, string> = { [POLICY_PATH]: POLICY_YAML, CODEOWNERS, ...files };
  return Object.entries(tree).map(([path, content]) => ({ path, content }));
}

export const BASE: PreparedBase = prepareBase(baseTree());

/** Users 101..: alice (backend), bob and carol (sre), dave (db owner), frank/grace/heidi (security). */
export const DIRECTORY: DirectorySnapshot = {
  users: {
    alice: { id: 101 },
    bob: { id: 102 },
    carol: { id: 103 },
    dave: { id: 104 },
    erin: { id: 105 },
    frank: { id: 106 },
    grace: { id: 107 },
    heidi: { id: 108 },
    "renovate[bot]": { id: 2740, type: "Bot" },
  },
  teams: {
    "acme/backend": ["alice"],
    "acme/sre": ["bob", "carol"],
    "acme/db-owners": ["dave"],
    "acme/security": ["frank", "grace", "heidi"],
    "acme/leads": ["bob", "frank", "grace"],
  },
};

/** The directory with `users` added and `teams` replaced (a team set to undefined is dropped). */
export function directory(
  changes: {
    users?: DirectorySnapshot["users"];
    teams?: Record<string, string[] | undefined>;
    without?: string[];
  } = {},
): DirectorySnapshot {
  const users = { ...DIRECTORY.users, ...changes.users };
  for (const login of changes.without ?? []) delete users[login];
  const teams: Record<string, string[]> = { ...DIRECTORY.teams };
  for (const [t, members] of Object.entries(changes.teams ?? {})) {
    if (members === undefined) delete teams[t];
    else teams[t] = members;
  }
  return { users, teams };
}

/** The spec of a request file; values are written as YAML scalars. */
export type RequestSpec = Record<string, string | boolean>;

export const DB_READ: RequestSpec = { entitlement: "db-read", duration: "4h", ticket: "INC-1234" };

/** The YAML of a request named `name`. */
export function requestYaml(name: string, spec: RequestSpec = DB_READ): string {
  const lines = Object.entries(spec).map(([k, v]) => `  ${k}: ${String(v)}`);
  return `apiVersion: jitops.dev/v1\nkind: AccessRequest\nmetadata:\n  name: ${name}\nspec:\n${lines.join("\n")}\n`;
}

/** A changed request file `access/requests/<name>.yaml`. */
export function requestFile(
  name: string,
  spec: RequestSpec = DB_READ,
  status: FileStatus = "added",
): ChangedFile {
  return { path: `access/requests/${name}.yaml`, status, content: requestYaml(name, spec) };
}

/** Any other changed file. */
export function changed(path: string, content = "x\n", status: FileStatus = "modified"): ChangedFile {
  return status === "removed" ? { path, status } : { path, status, content };
}

/** The base policy file edited in the PR. */
export function policyEdit(edit: (yaml: string) => string): ChangedFile {
  const content = edit(POLICY_YAML);
  if (content === POLICY_YAML) throw new Error("the policy edit changed nothing");
  return { path: POLICY_PATH, status: "modified", content };
}

export const approved = (user: string, commit = "c2"): Review => ({ user, state: "APPROVED", commit });
export const changesRequested = (user: string, commit = "c2"): Review => ({
  user,
  state: "CHANGES_REQUESTED",
  commit,
});
export const commented = (user: string, commit = "c2"): Review => ({ user, state: "COMMENTED", commit });
export const dismissed = (user: string, commit = "c2"): Review => ({ user, state: "DISMISSED", commit });

/** A pull request: by default alice adds alice-db (db-read, 4h) in commits c1, c2; head c2; no reviews. */
export function pull(changes: Partial<PullSnapshot> = {}): PullSnapshot {
  const author = changes.author ?? "alice";
  return {
    author,
    head: "c2",
    files: [requestFile("alice-db")],
    commits: [
      { sha: "c1", author },
      { sha: "c2", author },
    ],
    reviews: [],
    labels: [],
    ...changes,
  };
}

/** Decides `pr` against the base (default: BASE) and directory (default: DIRECTORY) at NOW. */
export function decide(
  pr: PullSnapshot,
  opts: { base?: PreparedBase; dir?: DirectorySnapshot; now?: Date } = {},
): Decision {
  return evaluatePull(opts.base ?? BASE, pr, opts.dir ?? DIRECTORY, opts.now ?? NOW);
}

/** Decision and reasons only, for compact assertions. */
export function verdict(d: Decision): { decision: string; reasons: string[] } {
  return { decision: d.decision, reasons: d.reasons };
}
