import type { Server } from "node:http";
import { randomBytes } from "node:crypto";
import { closeServer, listenLoopback } from "../shared/loopback-server.js";
import { SimRequestError } from "./errors.js";
import { FaultInjector, type FaultSpec } from "./faults.js";
import { SimOperations, type SubmittedReviewState } from "./operations.js";
import { accountRoutes } from "./routes/accounts.js";
import { checkRoutes } from "./routes/checks.js";
import { commitRoutes } from "./routes/commits.js";
import { contentRoutes } from "./routes/contents.js";
import { deliveryRoutes } from "./routes/deliveries.js";
import type { RouteDeps } from "./routes/deps.js";
import { issueRoutes } from "./routes/issues.js";
import { pullRoutes } from "./routes/pulls.js";
import { createApiServer, type ApiCall } from "./server.js";
import type { ShapeContext } from "./shapes/context.js";
import { isoSeconds, SimState, type FileEdits } from "./state.js";
import type {
  CommitAuthor,
  SimApp,
  SimCheckRun,
  SimComment,
  SimInstallation,
  SimIssue,
  SimPull,
  SimRepo,
  SimStatus,
  SimTeam,
  SimUser,
} from "./types.js";
import { WebhookDispatcher, type Delivery, type WebhookTarget } from "./webhooks.js";

/** Options of `createGitHubSim`. */
export interface GitHubSimOptions {
  /** The GitHub App installed on every repository (defaults: id 1, slug `jitops`, installation 1). */
  app?: { id?: number; slug?: string; name?: string; owner?: string; installationId?: number };
  /** Webhook URL and secret; can also be set later with `setWebhookTarget`. */
  webhook?: WebhookTarget;
  /** Clock for every timestamp: commits, pull requests, reviews, webhooks, token expiry (default: the real clock; see `setClock`). */
  clock?: () => Date;
  /** Requests an hour reported in `x-ratelimit-*` headers (default 5,000). */
  rateLimit?: number;
}

const DEFAULT_PERMISSIONS: Record<string, "read" | "write"> = {
  checks: "write",
  contents: "write",
  issues: "write",
  members: "read",
  metadata: "read",
  pull_requests: "write",
  statuses: "write",
};

/** An embedded GitHub: REST on loopback, signed webhooks to the app, and a state API for tests and the demo. */
export class GitHubSim {
  private readonly state: SimState;
  private readonly hooks: WebhookDispatcher;
  private readonly ops: SimOperations;
  private readonly faults = new FaultInjector();
  private readonly calls: ApiCall[] = [];
  /** Installation tokens the simulator issued, and their installation. */
  private readonly tokens = new Map<string, number>();
  private readonly app: SimApp;
  private server: Server | null = null;
  private base = "http://127.0.0.1";

  constructor(private readonly options: GitHubSimOptions = {}) {
    const clock = options.clock ?? (() => new Date());
    this.state = new SimState(clock);
    const slug = options.app?.slug ?? "jitops";
    this.app = {
      id: options.app?.id ?? 1,
      slug,
      name: options.app?.name ?? slug,
      owner: options.app?.owner ?? `${slug}-dev`,
      installationId: options.app?.installationId ?? 1,
      botLogin: `${slug}[bot]`,
      permissions: DEFAULT_PERMISSIONS,
      events: ["check_run", "issue_comment", "issues", "pull_request", "pull_request_review", "push"],
      createdAt: this.state.now(),
    };
    this.state.addUser(this.app.owner, "Organization");
    this.state.addUser(this.app.botLogin, "Bot");
    this.hooks = new WebhookDispatcher({ hookId: 1, appId: this.app.id }, () => this.state.now());
    if (options.webhook) this.hooks.setTarget(options.webhook);
    const ctx = (): ShapeContext => ({ state: this.state, base: this.base });
    this.ops = new SimOperations(this.state, this.hooks, this.app, ctx);
  }

  // ---- lifecycle ----

  /** Listens on 127.0.0.1 (a free port); `url` is the REST base URL (Octokit `baseUrl`). */
  async start(): Promise<{ url: string }> {
    if (this.server) return { url: this.base };
    const deps: RouteDeps = {
      state: this.state,
      ops: this.ops,
      app: this.app,
      ctx: () => ({ state: this.state, base: this.base }),
      issueToken: (installationId) => {
        const token = `ghs_sim${randomBytes(16).toString("hex")}`;
        this.tokens.set(token, installationId);
        return { token, expiresAt: isoSeconds(new Date(this.state.nowDate().getTime() + 3600_000)) };
      },
      tokenInstallation: (authorization) =>
        this.tokens.get((authorization ?? "").replace(/^(token|bearer)\s+/i, "")),
    };
    const server = createApiServer({
      routes: [
        ...accountRoutes(deps),
        ...pullRoutes(deps),
        ...commitRoutes(deps),
        ...contentRoutes(deps),
        ...checkRoutes(deps),
        ...issueRoutes(deps),
        ...deliveryRoutes(this.hooks),
      ],
      faults: this.faults,
      calls: this.calls,
      actorFor: (authorization) => this.actorFor(authorization),
      rateLimit: {
        limit: this.options.rateLimit ?? 5000,
        resetEpoch: Math.floor(Date.now() / 1000) + 3600,
        used: 0,
      },
      base: () => this.base,
    });
    // Clients keep connections for a few seconds; a longer server timeout avoids the race where both
    // sides' idle timers are overdue (busy event loop) and a request lands on a socket being closed.
    server.keepAliveTimeout = 60_000;
    const port = await listenLoopback(server);
    this.server = server;
    this.base = `http://127.0.0.1:${port}`;
    return { url: this.base };
  }

  /** Waits for queued webhooks, then closes the server. */
  async stop(): Promise<void> {
    await this.hooks.settle();
    const server = this.server;
    this.server = null;
    if (!server) return;
    await closeServer(server);
  }

  /** REST base URL (valid after `start`). */
  get url(): string {
    return this.base;
  }

  /** The simulated app: id, slug, installation id and bot login. */
  get appInfo(): Readonly<SimApp> {
    return this.app;
  }

  /** Replaces the clock every later timestamp comes from (commits, merges, reviews, webhooks), e.g. an accelerated demo clock. */
  setClock(clock: () => Date): void {
    this.state.setClock(clock);
  }

  /** The simulator's current time. */
  now(): Date {
    return this.state.nowDate();
  }

  /** The app's installations, one per account that owns a repository, by id. */
  installations(): SimInstallation[] {
    return [...this.state.installations.values()].sort((a, b) => a.id - b.id).map((i) => ({ ...i }));
  }

  /** A token REST maps to this user (other tokens act as the app's bot). */
  userToken(login: string): string {
    return `simu_${this.state.user(login).login}`;
  }

  private actorFor(authorization: string): string {
    const token = authorization.replace(/^(token|bearer)\s+/i, "");
    if (token.startsWith("simu_")) {
      const u = this.state.findUser(token.slice("simu_".length));
      if (u) return u.login;
    }
    return this.app.botLogin;
  }

  // ---- accounts ----

  /** Adds a user (or bot) account; bots should be named `something[bot]`. */
  createUser(
    login: string,
    opts: { type?: "User" | "Bot"; id?: number; name?: string; email?: string } = {},
  ): SimUser {
    return { ...this.state.addUser(login, opts.type ?? "User", opts) };
  }

  /** Adds an organisation account. */
  createOrg(login: string, opts: { id?: number } = {}): SimUser {
    return { ...this.state.addUser(login, "Organization", opts) };
  }

  /** Creates an org team; members of child teams (`parent`) also count as the parent's members. */
  createTeam(
    org: string,
    slug: string,
    members: string[],
    opts: { parent?: string; name?: string } = {},
  ): SimTeam {
    if (!this.state.findUser(org)) this.state.addUser(org, "Organization");
    const team: SimTeam = {
      id: this.state.nextId("team"),
      org: this.state.user(org).login,
      slug,
      name: opts.name ?? slug,
      parent: opts.parent ?? null,
      members: members.map((m) => this.state.user(m).login),
    };
    this.state.teams.set(`${org}/${slug}`.toLowerCase(), team);
    return { ...team, members: [...team.members] };
  }

  /** Adds a user to a team. */
  addTeamMember(org: string, slug: string, login: string): void {
    const t = this.state.teams.get(`${org}/${slug}`.toLowerCase());
    if (!t) throw new Error(`sim: no team ${org}/${slug}`);
    if (!t.members.includes(login)) t.members.push(this.state.user(login).login);
  }

  /** Removes a user from a team. */
  removeTeamMember(org: string, slug: string, login: string): void {
    const t = this.state.teams.get(`${org}/${slug}`.toLowerCase());
    if (t) t.members = t.members.filter((m) => m.toLowerCase() !== login.toLowerCase());
  }

  // ---- repositories and git ----

  /** Creates "owner/name" with an initial commit of `files` on the default branch (no webhook). */
  createRepo(
    fullName: string,
    opts: {
      defaultBranch?: string;
      private?: boolean;
      files?: Record<string, string>;
      author?: string;
      id?: number;
    } = {},
  ): SimRepo {
    const [owner, name, ...rest] = fullName.split("/");
    if (!owner || !name || rest.length > 0)
      throw new Error(`sim: repository must be "owner/name", got "${fullName}"`);
    if (this.state.findRepo(fullName)) throw new Error(`sim: repository ${fullName} already exists`);
    const ownerAccount = this.state.findUser(owner) ?? this.state.addUser(owner, "Organization");
    const author =
      opts.author ?? (ownerAccount.type === "Organization" ? this.app.botLogin : ownerAccount.login);
    const initial = this.state.writeCommit({
      parents: [],
      edits: opts.files ?? {},
      author,
      message: "Initial commit",
    });
    const branch = opts.defaultBranch ?? "main";
    const repo: SimRepo = {
      id: opts.id ?? this.state.nextId("repo"),
      owner: ownerAccount.login,
      name,
      defaultBranch: branch,
      private: opts.private ?? false,
      createdAt: this.state.now(),
      pushedAt: this.state.now(),
      branches: new Map([[branch, initial.sha]]),
      nextNumber: 1,
    };
    this.state.repos.set(fullName.toLowerCase(), repo);
    this.state.installationFor(ownerAccount.login, this.app.installationId);
    return repo;
  }

  /**
   * Commits file edits (`null` deletes) on a branch, creating it from `from` or the default branch; returns the sha.
   * `author` is a login, or `{ name, email }` (linked to the account with that email, else unlinked: REST `author: null`,
   * and then `pusher` names the account that pushed).
   */
  commit(
    repo: string,
    branch: string,
    input: { files: FileEdits; author: CommitAuthor; message?: string; from?: string; pusher?: string },
  ): string {
    return this.ops.commit(repo, branch, input);
  }

  /** Creates a branch at `from` (a branch or sha; default branch when omitted). */
  createBranch(repo: string, branch: string, opts: { from?: string; by: string }): string {
    const r = this.state.repo(repo);
    const sha = this.state.resolveRef(r, opts.from ?? r.defaultBranch);
    if (!sha) throw new Error(`sim: cannot resolve ${opts.from ?? r.defaultBranch} in ${repo}`);
    this.ops.createBranch(repo, branch, sha, opts.by);
    return sha;
  }

  /** Head sha of a branch. */
  branchSha(repo: string, branch?: string): string {
    const r = this.state.repo(repo);
    const sha = r.branches.get(branch ?? r.defaultBranch);
    if (!sha)
      throw new Error(`sim: no branch ${branch} in ${repo}; branches: ${[...r.branches.keys()].join(", ")}`);
    return sha;
  }

  /** Content of a file at a ref (branch or sha), or undefined. */
  readFile(repo: string, ref: string, path: string): string | undefined {
    const r = this.state.repo(repo);
    const sha = this.state.resolveRef(r, ref);
    const blob = sha ? this.state.commit(sha).files.get(path) : undefined;
    return blob === undefined ? undefined : this.state.blob(blob);
  }

  // ---- pull requests ----

  /** Opens a pull request (committing `files` to `head` first when given); returns its number. */
  openPullRequest(
    repo: string,
    input: {
      head: string;
      base?: string;
      author: string;
      title: string;
      body?: string;
      draft?: boolean;
      files?: FileEdits;
    },
  ): number {
    if (input.files)
      this.ops.commit(repo, input.head, { files: input.files, author: input.author, from: input.base });
    return this.ops.openPullRequest(repo, input).number;
  }

  /** Commits to the pull request's head branch (announces push and synchronize); returns the new head sha. */
  pushToPullRequest(
    repo: string,
    number: number,
    input: { files: FileEdits; author: CommitAuthor; message?: string; pusher?: string },
  ): string {
    return this.ops.pushToPullRequest(repo, number, input);
  }

  /** Edits title, body or base (announces `edited`). */
  editPullRequest(
    repo: string,
    number: number,
    edit: { title?: string; body?: string | null; base?: string; by: string },
  ): void {
    this.ops.editPullRequest(repo, number, edit, edit.by);
  }

  /** Closes a pull request without merging. */
  closePullRequest(repo: string, number: number, by: string): void {
    this.ops.closePullRequest(repo, number, by);
  }

  /** Reopens a closed pull request. */
  reopenPullRequest(repo: string, number: number, by: string): void {
    this.ops.reopenPullRequest(repo, number, by);
  }

  /** Marks a draft pull request ready for review. */
  markReadyForReview(repo: string, number: number, by: string): void {
    this.ops.markReadyForReview(repo, number, by);
  }

  /** Submits a review (on the current head unless `commit_id`); returns the review id. `force` allows self-approval. */
  submitReview(
    repo: string,
    number: number,
    input: { user: string; state: SubmittedReviewState; body?: string; commit_id?: string; force?: boolean },
  ): number {
    return this.ops.submitReview(repo, number, input).id;
  }

  /** Edits a review's body (announces `edited`). */
  editReview(repo: string, number: number, reviewId: number, body: string): void {
    this.ops.editReview(repo, number, reviewId, body);
  }

  /** Dismisses a review (announces `dismissed`). */
  dismissReview(
    repo: string,
    number: number,
    reviewId: number,
    input: { message: string; by: string },
  ): void {
    this.ops.dismissReview(repo, number, reviewId, input);
  }

  /** Requests reviews from users and team slugs. */
  requestReviewers(
    repo: string,
    number: number,
    input: { reviewers?: string[]; team_reviewers?: string[]; by: string },
  ): void {
    this.ops.requestReviewers(repo, number, input, input.by);
  }

  /** Merges (as a person would in the UI); returns the merge commit sha, throws when GitHub would refuse. */
  mergePullRequest(
    repo: string,
    number: number,
    input: { by: string; sha?: string; method?: "merge" | "squash" | "rebase" },
  ): string {
    const outcome = this.ops.mergePullRequest(repo, number, input);
    if (outcome.type === "merged") return outcome.sha;
    if (outcome.type === "head-moved")
      throw new SimRequestError(
        409,
        `Head branch was modified (expected ${outcome.expected}, head is ${outcome.actual})`,
      );
    throw new SimRequestError(405, outcome.reason);
  }

  /** Forces `mergeable` (`null`: still computing, `undefined`: computed from conflicts again). */
  setMergeable(repo: string, number: number, value: boolean | null | undefined): void {
    this.pull(repo, number).mergeableOverride = value;
  }

  /** Simulates replication lag: GET pulls/{n} keeps reporting the head before the latest push (later pushes stay hidden too). */
  hideHeadSha(repo: string, number: number): void {
    const p = this.pull(repo, number);
    p.visibleHeadSha = p.previousHeadSha ?? p.headSha;
  }

  /** Ends simulated replication lag. */
  revealHeadSha(repo: string, number: number): void {
    this.pull(repo, number).visibleHeadSha = null;
  }

  /** Labels a pull request or issue. */
  addLabels(repo: string, number: number, labels: string[]): void {
    this.ops.addLabels(repo, number, labels);
  }

  /** A snapshot of a pull request. */
  getPullRequest(repo: string, number: number): SimPull {
    const p = this.pull(repo, number);
    return structuredClone(p);
  }

  private pull(repo: string, number: number): SimPull {
    return this.state.pull(this.state.repo(repo), number);
  }

  // ---- checks, comments, issues, statuses ----

  /** Check runs on a commit, newest first. */
  getCheckRuns(repo: string, sha: string): SimCheckRun[] {
    const full = this.state.fullName(this.state.repo(repo)).toLowerCase();
    return [...this.state.checkRuns.values()]
      .filter((c) => c.repo.toLowerCase() === full && c.headSha === sha)
      .sort((a, b) => b.id - a.id)
      .map((c) => structuredClone(c));
  }

  /** A person clicks "Re-run" on a completed check run (announces `check_run.rerequested`). */
  rerequestCheckRun(repo: string, checkRunId: number, by: string): void {
    this.ops.rerequestCheckRun(repo, checkRunId, by);
  }

  /** Conversation comments of an issue or pull request, oldest first. */
  listComments(repo: string, number: number): SimComment[] {
    const full = this.state.fullName(this.state.repo(repo)).toLowerCase();
    return [...this.state.comments.values()]
      .filter((c) => c.repo.toLowerCase() === full && c.issueNumber === number)
      .sort((a, b) => a.id - b.id)
      .map((c) => ({ ...c }));
  }

  /** Adds a conversation comment as a user; returns its id. */
  comment(repo: string, number: number, body: string, by: string): number {
    return this.ops.createComment(repo, number, body, by).id;
  }

  /** Opens an issue as `author` (announces `issues.opened`); returns its number. */
  createIssue(
    repo: string,
    input: { title: string; body?: string; labels?: string[]; assignees?: string[]; author: string },
  ): number {
    return this.ops.createIssue(repo, input, input.author).number;
  }

  /** Closes an issue (announces `issues.closed`). */
  closeIssue(
    repo: string,
    number: number,
    by: string,
    reason: "completed" | "not_planned" = "completed",
  ): void {
    this.ops.updateIssue(repo, number, { state: "closed", state_reason: reason }, by);
  }

  /** Reopens an issue (announces `issues.reopened`). */
  reopenIssue(repo: string, number: number, by: string): void {
    this.ops.updateIssue(repo, number, { state: "open" }, by);
  }

  /** Commits reachable from a branch or sha along first parents, newest first; `path` keeps those that changed it. */
  listCommits(
    repo: string,
    opts: { ref?: string; path?: string } = {},
  ): {
    sha: string;
    parents: string[];
    author: string | null;
    authorEmail: string;
    committer: string | null;
    message: string;
    date: string;
  }[] {
    const r = this.state.repo(repo);
    const head = this.state.resolveRef(r, opts.ref ?? r.defaultBranch);
    if (!head) throw new Error(`sim: cannot resolve ${opts.ref ?? r.defaultBranch} in ${repo}`);
    return this.state.firstParentLog(head, opts.path).map((c) => ({
      sha: c.sha,
      parents: [...c.parents],
      author: c.author,
      authorEmail: c.authorEmail,
      committer: c.committer,
      message: c.message,
      date: c.date,
    }));
  }

  /** Issues of a repository (not pull requests). */
  listIssues(repo: string): SimIssue[] {
    return [...this.state.issuesOf(this.state.repo(repo)).values()].map((i) => structuredClone(i));
  }

  /** Commit statuses on a sha, oldest first. */
  getStatuses(repo: string, sha: string): SimStatus[] {
    const full = this.state.fullName(this.state.repo(repo)).toLowerCase();
    return this.state.statuses
      .filter((s) => s.repo.toLowerCase() === full && s.sha === sha)
      .map((s) => ({ ...s }));
  }

  // ---- webhooks ----

  /** Registers (or replaces) the app's webhook URL and secret. */
  setWebhookTarget(target: WebhookTarget | null): void {
    this.hooks.setTarget(target);
  }

  /** Drops the next delivery of `event` (`"push"`, `"pull_request.opened"`; any when omitted); it is logged as dropped. */
  dropNextDelivery(event?: string): void {
    this.hooks.dropNext(event);
  }

  /** Sends a logged delivery again with the same id and body (as "Redeliver" in the app settings). */
  redeliver(deliveryId: string): Delivery {
    return this.hooks.redeliver(deliveryId);
  }

  /** The delivery log, oldest first. */
  deliveries(): Delivery[] {
    return this.hooks.deliveries();
  }

  /** Resolves when every queued delivery, including ones queued by handlers meanwhile, got its HTTP answer. */
  awaitDeliveries(): Promise<void> {
    return this.hooks.settle();
  }

  // ---- faults and counting ----

  /** Plans failures: the next `times` matching REST calls answer `status` (e.g. 502, or 403 secondary rate limit). */
  failNext(spec: FaultSpec): void {
    this.faults.add(spec);
  }

  /** Forgets planned failures. */
  clearFaults(): void {
    this.faults.clear();
  }

  /** Number of REST calls since the last reset. */
  apiCalls(): number {
    return this.calls.length;
  }

  /** REST calls since the last reset that count against the rate limit (all but 304 Not Modified). */
  countedApiCalls(): number {
    return this.calls.filter((c) => c.status !== 304).length;
  }

  /** Every REST call since the last reset: method, route template, path, status. */
  apiCallLog(): ApiCall[] {
    return this.calls.map((c) => ({ ...c }));
  }

  /** Resets the REST call count. */
  resetApiCalls(): void {
    this.calls.length = 0;
  }
}

/** Creates an embedded GitHub; call `start()` to serve REST on loopback. */
export function createGitHubSim(options: GitHubSimOptions = {}): GitHubSim {
  return new GitHubSim(options);
}
