import { blobSha, buildTrees, commitSha, diffFiles, type FileChange } from "./git-objects.js";
import type {
  AccountType,
  CommitAuthor,
  SimCheckRun,
  SimComment,
  SimCommit,
  SimInstallation,
  SimIssue,
  SimPull,
  SimRepo,
  SimStatus,
  SimTeam,
  SimUser,
  TreeEntry,
} from "./types.js";

/** A file change for `commit`: content, or `null` to delete the path. */
export type FileEdits = Record<string, string | null>;

/** GitHub timestamps carry no milliseconds. */
export function isoSeconds(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, "Z");
}

/** The simulator's in-memory data and the queries over it; it announces nothing. */
export class SimState {
  readonly users = new Map<string, SimUser>();
  readonly teams = new Map<string, SimTeam>();
  readonly repos = new Map<string, SimRepo>();
  readonly commits = new Map<string, SimCommit>();
  readonly blobs = new Map<string, string>();
  readonly trees = new Map<string, TreeEntry[]>();
  readonly pulls = new Map<string, Map<number, SimPull>>();
  readonly issues = new Map<string, Map<number, SimIssue>>();
  readonly comments = new Map<number, SimComment>();
  readonly checkRuns = new Map<number, SimCheckRun>();
  readonly statuses: SimStatus[] = [];
  /** The app's installations by account login (lower case). */
  readonly installations = new Map<string, SimInstallation>();
  private readonly counters = new Map<string, number>();

  constructor(private clock: () => Date) {}

  /** Current time in GitHub's format. */
  now(): string {
    return isoSeconds(this.clock());
  }

  /** Current time as a Date. */
  nowDate(): Date {
    return this.clock();
  }

  /** Replaces the clock every later timestamp comes from (e.g. an accelerated demo clock). */
  setClock(clock: () => Date): void {
    this.clock = clock;
  }

  /** The app's installation on an account, created with the next id (`firstId` for the first) on first use. */
  installationFor(account: string, firstId: number): SimInstallation {
    const key = account.toLowerCase();
    let inst = this.installations.get(key);
    if (!inst) {
      const ids = [...this.installations.values()].map((i) => i.id);
      const id = ids.length === 0 ? firstId : Math.max(...ids) + 1;
      inst = { id, account: this.user(account).login, createdAt: this.now() };
      this.installations.set(key, inst);
    }
    return inst;
  }

  /** Looks up an installation by id. */
  installationById(id: number): SimInstallation | undefined {
    return [...this.installations.values()].find((i) => i.id === id);
  }

  /** Repositories of an account, by id. */
  reposOf(account: string): SimRepo[] {
    return [...this.repos.values()]
      .filter((r) => r.owner.toLowerCase() === account.toLowerCase())
      .sort((a, b) => a.id - b.id);
  }

  /** Next numeric id of a kind of object; kinds start apart so ids never look alike. */
  nextId(kind: string): number {
    const starts: Record<string, number> = {
      user: 1001,
      repo: 50001,
      pull: 700001,
      review: 800001,
      check: 900001,
    };
    const n = this.counters.get(kind) ?? starts[kind] ?? 100001;
    this.counters.set(kind, n + 1);
    return n;
  }

  /** Adds an account; logins are case-insensitive like GitHub's. */
  addUser(
    login: string,
    type: AccountType,
    opts: { id?: number; name?: string; email?: string } = {},
  ): SimUser {
    const key = login.toLowerCase();
    const existing = this.users.get(key);
    if (existing) return existing;
    const user: SimUser = {
      login,
      id: opts.id ?? this.nextId("user"),
      type,
      name: opts.name ?? null,
      email: opts.email ?? null,
      createdAt: this.now(),
    };
    this.users.set(key, user);
    return user;
  }

  /** Looks up an account by login. */
  findUser(login: string): SimUser | undefined {
    return this.users.get(login.toLowerCase());
  }

  /** Looks up an account by login, or throws naming the known logins. */
  user(login: string): SimUser {
    const u = this.findUser(login);
    if (!u)
      throw new Error(
        `sim: unknown user "${login}"; known: ${[...this.users.values()].map((x) => x.login).join(", ")}`,
      );
    return u;
  }

  /** Looks up a repository by "owner/name". */
  findRepo(fullName: string): SimRepo | undefined {
    return this.repos.get(fullName.toLowerCase());
  }

  /** Looks up a repository by "owner/name", or throws. */
  repo(fullName: string): SimRepo {
    const r = this.findRepo(fullName);
    if (!r)
      throw new Error(`sim: unknown repository "${fullName}"; expected "owner/name" of a created repository`);
    return r;
  }

  /** Canonical "owner/name" of a repository. */
  fullName(r: SimRepo): string {
    return `${r.owner}/${r.name}`;
  }

  /** Stores a blob and returns its sha. */
  putBlob(content: string): string {
    const sha = blobSha(content);
    this.blobs.set(sha, content);
    return sha;
  }

  /** Content of a stored blob. */
  blob(sha: string): string {
    const b = this.blobs.get(sha);
    if (b === undefined) throw new Error(`sim: missing blob ${sha}`);
    return b;
  }

  /** Looks up a commit by sha, or throws. */
  commit(sha: string): SimCommit {
    const c = this.commits.get(sha);
    if (!c) throw new Error(`sim: unknown commit ${sha}`);
    return c;
  }

  /** Resolves a branch name, `refs/heads/x`, or (possibly abbreviated) commit sha to a commit sha. */
  resolveRef(r: SimRepo, ref: string | undefined): string | undefined {
    const name = ref ?? r.defaultBranch;
    const branch = r.branches.get(name.replace(/^refs\/heads\/|^heads\//, ""));
    if (branch) return branch;
    if (/^[0-9a-f]{40}$/.test(name)) return this.commits.has(name) ? name : undefined;
    if (/^[0-9a-f]{7,39}$/.test(name)) return [...this.commits.keys()].find((s) => s.startsWith(name));
    return undefined;
  }

  /** Writes a commit with `edits` applied to the first parent's files. */
  writeCommit(args: {
    parents: string[];
    edits?: FileEdits;
    files?: ReadonlyMap<string, string>;
    author: CommitAuthor;
    committer?: CommitAuthor;
    message: string;
  }): SimCommit {
    const first = args.parents[0];
    const files = new Map(args.files ?? (first ? this.commit(first).files : []));
    for (const [path, content] of Object.entries(args.edits ?? {})) {
      const clean = path.replace(/^\/+/, "");
      if (content === null) files.delete(clean);
      else files.set(clean, this.putBlob(content));
    }
    const { root, trees } = buildTrees(files, (sha) => Buffer.byteLength(this.blob(sha)));
    for (const [sha, entries] of trees) this.trees.set(sha, entries);
    const author = this.identity(args.author);
    const committer = this.identity(args.committer ?? args.author);
    const date = this.now();
    const sha = commitSha({
      treeSha: root,
      parents: args.parents,
      authorName: author.name,
      authorEmail: author.email,
      committerName: committer.name,
      committerEmail: committer.email,
      date,
      message: args.message,
    });
    const commit: SimCommit = {
      sha,
      treeSha: root,
      parents: args.parents,
      author: author.login,
      authorName: author.name,
      authorEmail: author.email,
      committer: committer.login,
      committerName: committer.name,
      committerEmail: committer.email,
      message: args.message,
      date,
      files,
    };
    this.commits.set(sha, commit);
    return commit;
  }

  /** Name, email and linked login (null when no account has the email) of a commit author. */
  identity(who: CommitAuthor): { login: string | null; name: string; email: string } {
    if (typeof who === "string") {
      const u = this.user(who);
      return { login: u.login, name: u.name ?? u.login, email: this.emailOf(u) };
    }
    const email = who.email.toLowerCase();
    const linked = [...this.users.values()].find((u) => this.emailOf(u).toLowerCase() === email);
    return { login: linked?.login ?? null, name: who.name, email: who.email };
  }

  /** The email a commit by this account carries. */
  emailOf(u: SimUser): string {
    return u.email ?? `${u.id}+${u.login}@users.noreply.github.com`;
  }

  /** Every ancestor of a commit, itself included. */
  ancestors(sha: string): Set<string> {
    const seen = new Set<string>();
    const stack = [sha];
    while (stack.length > 0) {
      const s = stack.pop() as string;
      if (seen.has(s)) continue;
      seen.add(s);
      stack.push(...this.commit(s).parents);
    }
    return seen;
  }

  /** Nearest common ancestor of two commits (breadth first from `head`). */
  mergeBase(a: string, b: string): string | undefined {
    const mine = this.ancestors(a);
    const queue = [b];
    const seen = new Set<string>();
    while (queue.length > 0) {
      const s = queue.shift() as string;
      if (mine.has(s)) return s;
      if (seen.has(s)) continue;
      seen.add(s);
      queue.push(...this.commit(s).parents);
    }
    return undefined;
  }

  /** Pull requests of a repository by number. */
  pullsOf(r: SimRepo): Map<number, SimPull> {
    const key = this.fullName(r).toLowerCase();
    let m = this.pulls.get(key);
    if (!m) this.pulls.set(key, (m = new Map()));
    return m;
  }

  /** Issues of a repository by number. */
  issuesOf(r: SimRepo): Map<number, SimIssue> {
    const key = this.fullName(r).toLowerCase();
    let m = this.issues.get(key);
    if (!m) this.issues.set(key, (m = new Map()));
    return m;
  }

  /** Looks up a pull request, or throws. */
  pull(r: SimRepo, n: number): SimPull {
    const p = this.pullsOf(r).get(n);
    if (!p) throw new Error(`sim: no pull request #${n} in ${this.fullName(r)}`);
    return p;
  }

  /** Base branch sha of a pull request: the current one, or the one it was merged into. */
  baseSha(r: SimRepo, p: SimPull): string {
    return p.mergedBaseSha ?? r.branches.get(p.baseRef) ?? this.commit(p.headSha).sha;
  }

  /** Files a pull request changes: merge base to head, as GitHub's three-dot diff. */
  pullFiles(r: SimRepo, p: SimPull, headSha = p.headSha): FileChange[] {
    const base = this.mergeBase(this.baseSha(r, p), headSha);
    const baseFiles = base ? this.commit(base).files : new Map<string, string>();
    return diffFiles(baseFiles, this.commit(headSha).files, (s) => this.blob(s));
  }

  /** Commits reachable from `head` but not from `exclude`, parents before children. */
  commitsBetween(exclude: string | undefined, head: string): SimCommit[] {
    const skip = exclude ? this.ancestors(exclude) : new Set<string>();
    const out: SimCommit[] = [];
    const seen = new Set<string>();
    const visit = (s: string): void => {
      if (seen.has(s) || skip.has(s)) return;
      seen.add(s);
      const c = this.commit(s);
      for (const parent of c.parents) visit(parent);
      out.push(c);
    };
    visit(head);
    return out;
  }

  /** Whether a commit changed `path` (a file, or every file under a directory) against its first parent. */
  touches(c: SimCommit, path: string): boolean {
    const clean = path.replace(/^\/+|\/+$/g, "");
    const first = c.parents[0];
    const before = first ? this.commit(first).files : new Map<string, string>();
    const prefix = `${clean}/`;
    const under = (files: ReadonlyMap<string, string>): string[] =>
      [...files].filter(([p]) => p === clean || p.startsWith(prefix)).map(([p, sha]) => `${p}\0${sha}`);
    const a = under(before).sort();
    const b = under(c.files).sort();
    return a.length !== b.length || a.some((x, i) => x !== b[i]);
  }

  /** Commits from `head` along first parents, newest first (`git log --first-parent [-- path]`). */
  firstParentLog(head: string, path?: string): SimCommit[] {
    const out: SimCommit[] = [];
    for (let s: string | undefined = head; s !== undefined;) {
      const c = this.commit(s);
      if (path === undefined || path === "" || this.touches(c, path)) out.push(c);
      s = c.parents[0];
    }
    return out;
  }

  /** Pull requests whose commits include `sha`, or that were merged as `sha`, by number. */
  pullsForCommit(r: SimRepo, sha: string): SimPull[] {
    return [...this.pullsOf(r).values()]
      .filter((p) => p.mergeCommitSha === sha || this.pullCommits(r, p).some((c) => c.sha === sha))
      .sort((a, b) => a.number - b.number);
  }

  /** Commits on the head not reachable from the base branch, oldest first. */
  pullCommits(r: SimRepo, p: SimPull, headSha = p.headSha): SimCommit[] {
    return this.commitsBetween(this.baseSha(r, p), headSha);
  }

  /** The merged file map, or the paths both sides changed differently. */
  mergeFiles(
    r: SimRepo,
    p: SimPull,
  ): { ok: true; files: Map<string, string> } | { ok: false; conflicts: string[] } {
    const baseSha = this.baseSha(r, p);
    const mb = this.mergeBase(baseSha, p.headSha);
    const ancestor = mb ? this.commit(mb).files : new Map<string, string>();
    const ours = this.commit(baseSha).files;
    const theirs = this.commit(p.headSha).files;
    const files = new Map(ours);
    const conflicts: string[] = [];
    const paths = new Set([...ancestor.keys(), ...theirs.keys()]);
    for (const path of paths) {
      const a = ancestor.get(path);
      const t = theirs.get(path);
      if (a === t) continue;
      const o = ours.get(path);
      if (o !== a && o !== t) conflicts.push(path);
      else if (t === undefined) files.delete(path);
      else files.set(path, t);
    }
    return conflicts.length > 0 ? { ok: false, conflicts } : { ok: true, files };
  }

  /** Whether GitHub would call the pull request mergeable (`null`: still computing). */
  mergeable(r: SimRepo, p: SimPull): boolean | null {
    if (p.mergeableOverride !== undefined) return p.mergeableOverride;
    if (p.state !== "open") return null;
    return this.mergeFiles(r, p).ok;
  }

  /** Head sha GET pulls/{n} reports (lags behind while hidden). */
  visibleHead(p: SimPull): string {
    return p.visibleHeadSha ?? p.headSha;
  }

  /** Members of a team and of its child teams. */
  teamMembers(org: string, slug: string): string[] {
    const out = new Set<string>();
    const visit = (s: string): void => {
      const t = this.teams.get(`${org}/${s}`.toLowerCase());
      if (!t) return;
      for (const m of t.members) out.add(m);
      for (const child of this.teams.values())
        if (child.org.toLowerCase() === org.toLowerCase() && child.parent === t.slug) visit(child.slug);
    };
    visit(slug);
    return [...out];
  }

  /** Open pull requests whose head is a given branch. */
  openPullsForBranch(r: SimRepo, branch: string): SimPull[] {
    return [...this.pullsOf(r).values()].filter((p) => p.state === "open" && p.headRef === branch);
  }

  /** Whether an account is the repository owner, an org member, or neither. */
  association(r: SimRepo, login: string): "OWNER" | "MEMBER" | "CONTRIBUTOR" | "NONE" {
    if (login.toLowerCase() === r.owner.toLowerCase()) return "OWNER";
    const member = [...this.teams.values()].some(
      (t) =>
        t.org.toLowerCase() === r.owner.toLowerCase() &&
        t.members.some((m) => m.toLowerCase() === login.toLowerCase()),
    );
    return member ? "MEMBER" : "NONE";
  }
}
