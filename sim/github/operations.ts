import { SimRequestError, found } from "./errors.js";
import {
  checkRunPayload,
  issuesPayload,
  pullRequestPayload,
  pullRequestReviewPayload,
  pushPayload,
  reviewRequestExtra,
  ZERO_SHA,
} from "./payloads.js";
import type { ShapeContext } from "./shapes/context.js";
import type { FileEdits, SimState } from "./state.js";
import type {
  CommitAuthor,
  CheckConclusion,
  CheckStatus,
  SimApp,
  SimCheckRun,
  SimComment,
  SimIssue,
  SimLabel,
  SimPull,
  SimRepo,
  SimReview,
  SimStatus,
} from "./types.js";
import type { WebhookDispatcher } from "./webhooks.js";

/** What a merge attempt came to. */
export type MergeOutcome =
  | { type: "merged"; sha: string }
  | { type: "head-moved"; expected: string; actual: string }
  | { type: "not-mergeable"; reason: string };

/** Fields of a check run that create and update accept. */
export interface CheckRunInput {
  name?: string;
  head_sha?: string;
  status?: CheckStatus;
  conclusion?: CheckConclusion;
  details_url?: string;
  external_id?: string;
  started_at?: string;
  completed_at?: string;
  output?: { title?: string; summary?: string; text?: string };
}

/** Review states a reviewer can submit. */
export type SubmittedReviewState = "APPROVED" | "CHANGES_REQUESTED" | "COMMENTED";

/** Every change GitHub would announce goes through here, so the state API and REST behave alike. */
export class SimOperations {
  private readonly labels = new Map<string, SimLabel>();

  constructor(
    readonly state: SimState,
    readonly hooks: WebhookDispatcher,
    readonly app: SimApp,
    private readonly ctx: () => ShapeContext,
  ) {}

  private label(r: SimRepo, name: string): SimLabel {
    const key = `${r.id}/${name.toLowerCase()}`;
    let l = this.labels.get(key);
    if (!l) this.labels.set(key, (l = { id: this.state.nextId("label"), name, color: "ededed" }));
    return l;
  }

  /** Moves a branch and announces the push (and `synchronize` for pull requests it heads). */
  private moveBranch(r: SimRepo, branch: string, after: string, pusher: string): void {
    const before = r.branches.get(branch) ?? ZERO_SHA;
    r.branches.set(branch, after);
    r.pushedAt = this.state.now();
    const commits = before === ZERO_SHA ? [] : this.state.commitsBetween(before, after);
    this.hooks.deliver(
      "push",
      pushPayload(this.ctx(), this.app, r, {
        branch,
        before,
        after,
        commits: commits.map((c) => c.sha),
        pusher,
      }),
    );
    for (const p of this.state.openPullsForBranch(r, branch)) {
      p.previousHeadSha = p.headSha;
      p.headSha = after;
      p.updatedAt = this.state.now();
      this.hooks.deliver(
        "pull_request",
        pullRequestPayload(this.ctx(), this.app, r, p, "synchronize", pusher, { before, after }),
      );
    }
  }

  /** Commits file edits on a branch (created from `from` or the default branch when missing); `pusher` defaults to the author's account. */
  commit(
    repo: string,
    branch: string,
    input: { files: FileEdits; author: CommitAuthor; message?: string; from?: string; pusher?: string },
  ): string {
    const r = this.state.repo(repo);
    const pusher = input.pusher ?? this.state.identity(input.author).login;
    if (!pusher)
      throw new Error(
        `sim: commit by unlinked ${JSON.stringify(input.author)} needs "pusher" (an account login)`,
      );
    const parent = r.branches.get(branch) ?? this.state.resolveRef(r, input.from ?? r.defaultBranch);
    if (!parent) throw new SimRequestError(404, `Branch ${input.from ?? r.defaultBranch} not found`);
    const c = this.state.writeCommit({
      parents: [parent],
      edits: input.files,
      author: input.author,
      message: input.message ?? `Update ${Object.keys(input.files).join(", ")}`,
    });
    if (!r.branches.has(branch)) {
      r.branches.set(branch, parent);
      this.hooks.deliver(
        "push",
        pushPayload(this.ctx(), this.app, r, {
          branch,
          before: ZERO_SHA,
          after: parent,
          commits: [],
          pusher,
        }),
      );
    }
    this.moveBranch(r, branch, c.sha, pusher);
    return c.sha;
  }

  /** Creates a branch at a commit (POST git/refs). */
  createBranch(repo: string, branch: string, sha: string, by: string): void {
    const r = this.state.repo(repo);
    if (r.branches.has(branch)) throw new SimRequestError(422, "Reference already exists");
    if (!this.state.commits.has(sha)) throw new SimRequestError(422, "Object does not exist");
    r.branches.set(branch, sha);
    r.pushedAt = this.state.now();
    this.hooks.deliver(
      "push",
      pushPayload(this.ctx(), this.app, r, { branch, before: ZERO_SHA, after: sha, commits: [], pusher: by }),
    );
  }

  /** Moves a branch to a commit (PATCH git/refs): a non-fast-forward move needs `force`, as on GitHub. */
  updateBranch(repo: string, branch: string, sha: string, force: boolean, by: string): void {
    const r = this.state.repo(repo);
    const current = r.branches.get(branch);
    if (!current) throw new SimRequestError(422, "Reference does not exist");
    if (!this.state.commits.has(sha)) throw new SimRequestError(422, "Object does not exist");
    if (!force && !this.state.ancestors(sha).has(current))
      throw new SimRequestError(422, "Update is not a fast forward");
    if (current !== sha) this.moveBranch(r, branch, sha, by);
  }

  /** Opens a pull request from `head` into `base` (default branch when omitted). */
  openPullRequest(
    repo: string,
    input: {
      head: string;
      base?: string;
      author: string;
      title: string;
      body?: string | null;
      draft?: boolean;
    },
  ): SimPull {
    const r = this.state.repo(repo);
    const base = input.base ?? r.defaultBranch;
    const headSha = r.branches.get(input.head);
    const baseSha = r.branches.get(base);
    if (!headSha || !baseSha)
      throw new SimRequestError(422, "Validation Failed", [
        { resource: "PullRequest", field: headSha ? "base" : "head", code: "invalid" },
      ]);
    if (this.state.ancestors(baseSha).has(headSha))
      throw new SimRequestError(422, "Validation Failed", [
        { resource: "PullRequest", code: "custom", message: `No commits between ${base} and ${input.head}` },
      ]);
    if (this.state.openPullsForBranch(r, input.head).some((p) => p.baseRef === base))
      throw new SimRequestError(422, "Validation Failed", [
        {
          resource: "PullRequest",
          code: "custom",
          message: `A pull request already exists for ${r.owner}:${input.head}.`,
        },
      ]);
    this.state.user(input.author);
    const now = this.state.now();
    const p: SimPull = {
      id: this.state.nextId("pull"),
      number: r.nextNumber++,
      repo: this.state.fullName(r),
      user: input.author,
      title: input.title,
      body: input.body ?? null,
      headRef: input.head,
      headSha,
      baseRef: base,
      state: "open",
      draft: input.draft ?? false,
      merged: false,
      mergedAt: null,
      mergedBy: null,
      mergeCommitSha: null,
      mergedBaseSha: null,
      closedAt: null,
      createdAt: now,
      updatedAt: now,
      labels: [],
      assignees: [],
      requestedReviewers: [],
      requestedTeams: [],
      reviews: [],
      mergeableOverride: undefined,
      visibleHeadSha: null,
      previousHeadSha: null,
    };
    this.state.pullsOf(r).set(p.number, p);
    this.hooks.deliver(
      "pull_request",
      pullRequestPayload(this.ctx(), this.app, r, p, "opened", input.author),
    );
    return p;
  }

  /** Commits on the pull request's head branch (announces push and synchronize). */
  pushToPullRequest(
    repo: string,
    number: number,
    input: { files: FileEdits; author: CommitAuthor; message?: string; pusher?: string },
  ): string {
    const r = this.state.repo(repo);
    const p = this.state.pull(r, number);
    return this.commit(repo, p.headRef, input);
  }

  /** Changes title, body or base branch (announces `edited` with `changes`). */
  editPullRequest(
    repo: string,
    number: number,
    edit: { title?: string; body?: string | null; base?: string },
    by: string,
  ): SimPull {
    const r = this.state.repo(repo);
    const p = this.state.pull(r, number);
    const changes: Record<string, unknown> = {};
    if (edit.title !== undefined && edit.title !== p.title) {
      changes.title = { from: p.title };
      p.title = edit.title;
    }
    if (edit.body !== undefined && edit.body !== p.body) {
      changes.body = { from: p.body ?? "" };
      p.body = edit.body;
    }
    if (edit.base !== undefined && edit.base !== p.baseRef) {
      if (!r.branches.has(edit.base))
        throw new SimRequestError(422, "Validation Failed", [{ field: "base", code: "invalid" }]);
      changes.base = { ref: { from: p.baseRef }, sha: { from: this.state.baseSha(r, p) } };
      p.baseRef = edit.base;
    }
    if (Object.keys(changes).length === 0) return p;
    p.updatedAt = this.state.now();
    this.hooks.deliver(
      "pull_request",
      pullRequestPayload(this.ctx(), this.app, r, p, "edited", by, { changes }),
    );
    return p;
  }

  /** Closes without merging. */
  closePullRequest(repo: string, number: number, by: string): void {
    const r = this.state.repo(repo);
    const p = this.state.pull(r, number);
    if (p.state === "closed") return;
    p.state = "closed";
    p.closedAt = p.updatedAt = this.state.now();
    this.hooks.deliver("pull_request", pullRequestPayload(this.ctx(), this.app, r, p, "closed", by));
  }

  /** Reopens a closed, unmerged pull request. */
  reopenPullRequest(repo: string, number: number, by: string): void {
    const r = this.state.repo(repo);
    const p = this.state.pull(r, number);
    if (p.merged) throw new SimRequestError(422, "Cannot reopen a merged pull request");
    if (p.state === "open") return;
    p.state = "open";
    p.closedAt = null;
    p.updatedAt = this.state.now();
    const head = r.branches.get(p.headRef);
    if (head) p.headSha = head;
    this.hooks.deliver("pull_request", pullRequestPayload(this.ctx(), this.app, r, p, "reopened", by));
  }

  /** Marks a draft ready for review. */
  markReadyForReview(repo: string, number: number, by: string): void {
    const r = this.state.repo(repo);
    const p = this.state.pull(r, number);
    if (!p.draft) return;
    p.draft = false;
    p.updatedAt = this.state.now();
    this.hooks.deliver(
      "pull_request",
      pullRequestPayload(this.ctx(), this.app, r, p, "ready_for_review", by),
    );
  }

  /** Submits a review; authors cannot approve or request changes on their own pull request unless `force`. */
  submitReview(
    repo: string,
    number: number,
    input: { user: string; state: SubmittedReviewState; body?: string; commit_id?: string; force?: boolean },
  ): SimReview {
    const r = this.state.repo(repo);
    const p = this.state.pull(r, number);
    const reviewer = this.state.user(input.user);
    if (p.state !== "open") throw new SimRequestError(422, "Can not review a closed pull request");
    if (
      !input.force &&
      input.state !== "COMMENTED" &&
      reviewer.login.toLowerCase() === p.user.toLowerCase()
    ) {
      const verb = input.state === "APPROVED" ? "approve" : "request changes on";
      throw new SimRequestError(422, "Unprocessable Entity", [`Can not ${verb} your own pull request`]);
    }
    const review: SimReview = {
      id: this.state.nextId("review"),
      user: reviewer.login,
      state: input.state,
      body: input.body ?? "",
      commitId: input.commit_id ?? p.headSha,
      submittedAt: this.state.now(),
    };
    p.reviews.push(review);
    p.requestedReviewers = p.requestedReviewers.filter(
      (u) => u.toLowerCase() !== reviewer.login.toLowerCase(),
    );
    this.hooks.deliver(
      "pull_request_review",
      pullRequestReviewPayload(this.ctx(), this.app, r, p, review, "submitted", reviewer.login),
    );
    return review;
  }

  /** Edits a review's body (announces `edited`). */
  editReview(repo: string, number: number, reviewId: number, body: string): SimReview {
    const r = this.state.repo(repo);
    const p = this.state.pull(r, number);
    const review = found(
      p.reviews.find((x) => x.id === reviewId),
      "PullRequestReview",
    );
    const from = review.body;
    review.body = body;
    this.hooks.deliver(
      "pull_request_review",
      pullRequestReviewPayload(this.ctx(), this.app, r, p, review, "edited", review.user, { body: { from } }),
    );
    return review;
  }

  /** Dismisses an approval or change request (announces `dismissed`). */
  dismissReview(
    repo: string,
    number: number,
    reviewId: number,
    input: { message: string; by: string },
  ): SimReview {
    const r = this.state.repo(repo);
    const p = this.state.pull(r, number);
    const review = found(
      p.reviews.find((x) => x.id === reviewId),
      "PullRequestReview",
    );
    if (review.state !== "APPROVED" && review.state !== "CHANGES_REQUESTED")
      throw new SimRequestError(422, `Can not dismiss a ${review.state.toLowerCase()} pull request review`);
    review.state = "DISMISSED";
    this.hooks.deliver(
      "pull_request_review",
      pullRequestReviewPayload(this.ctx(), this.app, r, p, review, "dismissed", input.by),
    );
    return review;
  }

  /** Requests reviews from users and teams (announces `review_requested` once each). */
  requestReviewers(
    repo: string,
    number: number,
    input: { reviewers?: string[]; team_reviewers?: string[] },
    by: string,
  ): SimPull {
    const r = this.state.repo(repo);
    const p = this.state.pull(r, number);
    const users = (input.reviewers ?? []).map((login) => {
      const u = this.state.findUser(login);
      if (!u)
        throw new SimRequestError(
          422,
          "Reviews may only be requested from collaborators. One or more of the users or teams you specified is not a collaborator of the " +
            `${r.owner}/${r.name} repository.`,
        );
      if (u.login.toLowerCase() === p.user.toLowerCase())
        throw new SimRequestError(422, "Review cannot be requested from pull request author.");
      return u.login;
    });
    const teams = (input.team_reviewers ?? []).map((slug) =>
      found(this.state.teams.get(`${r.owner}/${slug}`.toLowerCase()), "Team"),
    );
    for (const login of users) {
      if (p.requestedReviewers.some((x) => x.toLowerCase() === login.toLowerCase())) continue;
      p.requestedReviewers.push(login);
      this.hooks.deliver(
        "pull_request",
        pullRequestPayload(
          this.ctx(),
          this.app,
          r,
          p,
          "review_requested",
          by,
          reviewRequestExtra(this.ctx(), { user: login }),
        ),
      );
    }
    for (const team of teams) {
      if (p.requestedTeams.includes(team.slug)) continue;
      p.requestedTeams.push(team.slug);
      this.hooks.deliver(
        "pull_request",
        pullRequestPayload(
          this.ctx(),
          this.app,
          r,
          p,
          "review_requested",
          by,
          reviewRequestExtra(this.ctx(), { team }),
        ),
      );
    }
    return p;
  }

  /** Merges when the head still is `sha` (if given) and the pull request is mergeable. */
  mergePullRequest(
    repo: string,
    number: number,
    input: {
      by: string;
      sha?: string;
      method?: "merge" | "squash" | "rebase";
      title?: string;
      message?: string;
    },
  ): MergeOutcome {
    const r = this.state.repo(repo);
    const p = this.state.pull(r, number);
    if (p.state !== "open") return { type: "not-mergeable", reason: "Pull Request is not mergeable" };
    if (input.sha !== undefined && input.sha !== p.headSha)
      return { type: "head-moved", expected: input.sha, actual: p.headSha };
    if (p.draft) return { type: "not-mergeable", reason: "Pull Request is still a draft" };
    const merged = this.state.mergeFiles(r, p);
    if (this.state.mergeable(r, p) !== true || !merged.ok)
      return { type: "not-mergeable", reason: "Pull Request is not mergeable" };
    const baseSha = this.state.baseSha(r, p);
    const method = input.method ?? "merge";
    const title =
      input.title ??
      (method === "merge"
        ? `Merge pull request #${p.number} from ${r.owner}/${p.headRef}`
        : `${p.title} (#${p.number})`);
    const c = this.state.writeCommit({
      parents: method === "merge" ? [baseSha, p.headSha] : [baseSha],
      files: merged.files,
      author: method === "merge" ? input.by : p.user,
      committer: input.by,
      message: input.message ? `${title}\n\n${input.message}` : title,
    });
    p.state = "closed";
    p.merged = true;
    p.mergedAt = p.closedAt = p.updatedAt = this.state.now();
    p.mergedBy = input.by;
    p.mergeCommitSha = c.sha;
    p.mergedBaseSha = baseSha;
    this.moveBranch(r, p.baseRef, c.sha, input.by);
    this.hooks.deliver("pull_request", pullRequestPayload(this.ctx(), this.app, r, p, "closed", input.by));
    return { type: "merged", sha: c.sha };
  }

  /** Creates a check run attributed to the app. */
  createCheckRun(repo: string, input: CheckRunInput): SimCheckRun {
    const r = this.state.repo(repo);
    if (!input.name || !input.head_sha)
      throw new SimRequestError(422, 'Invalid request.\n\n"name" and "head_sha" are required.');
    if (!this.state.commits.has(input.head_sha))
      throw new SimRequestError(422, "No commit found for SHA: " + input.head_sha);
    const now = this.state.now();
    const run: SimCheckRun = {
      id: this.state.nextId("check"),
      suiteId: this.suiteFor(r, input.head_sha),
      repo: this.state.fullName(r),
      name: input.name,
      headSha: input.head_sha,
      status: "queued",
      conclusion: null,
      startedAt: input.started_at ?? now,
      completedAt: null,
      externalId: input.external_id ?? null,
      detailsUrl: input.details_url ?? null,
      output: { title: null, summary: null, text: null },
      createdAt: now,
    };
    this.applyCheckRun(run, input);
    this.state.checkRuns.set(run.id, run);
    return run;
  }

  /** An object of `repo` by id; 404 when it is missing or belongs to another repository. */
  private inRepo<T extends { repo: string }>(repo: string, item: T | undefined): T {
    const name = this.state.fullName(this.state.repo(repo)).toLowerCase();
    if (!item || item.repo.toLowerCase() !== name) throw new SimRequestError(404, "Not Found");
    return item;
  }

  /** Updates a check run. */
  updateCheckRun(repo: string, id: number, input: CheckRunInput): SimCheckRun {
    const run = this.inRepo(repo, this.state.checkRuns.get(id));
    if (input.name) run.name = input.name;
    this.applyCheckRun(run, input);
    return run;
  }

  private readonly suites = new Map<string, number>();

  private suiteFor(r: SimRepo, sha: string): number {
    const key = `${r.id}/${sha}`;
    let id = this.suites.get(key);
    if (id === undefined) this.suites.set(key, (id = this.state.nextId("suite")));
    return id;
  }

  private applyCheckRun(run: SimCheckRun, input: CheckRunInput): void {
    if (input.details_url !== undefined) run.detailsUrl = input.details_url;
    if (input.external_id !== undefined) run.externalId = input.external_id;
    if (input.output) {
      if (input.output.summary === undefined && input.output.title !== undefined)
        throw new SimRequestError(
          422,
          'Invalid request.\n\nNo subschema in "anyOf" matched.\n"summary" wasn\'t supplied.',
        );
      run.output = {
        title: input.output.title ?? run.output.title,
        summary: input.output.summary ?? run.output.summary,
        text: input.output.text ?? run.output.text,
      };
    }
    if (input.conclusion !== undefined) {
      run.conclusion = input.conclusion;
      run.status = "completed";
      run.completedAt = input.completed_at ?? this.state.now();
    } else if (input.status !== undefined) {
      if (input.status === "completed")
        throw new SimRequestError(422, 'Invalid request.\n\n"conclusion" wasn\'t supplied.');
      run.status = input.status;
      run.conclusion = null;
      run.completedAt = null;
    }
  }

  /** A person asks for a completed check run to run again (announces `check_run.rerequested`). */
  rerequestCheckRun(repo: string, id: number, by: string): void {
    const r = this.state.repo(repo);
    const run = found(this.state.checkRuns.get(id), "CheckRun");
    if (run.status !== "completed") throw new SimRequestError(422, "This check run is not rerequestable");
    this.hooks.deliver("check_run", checkRunPayload(this.ctx(), this.app, r, run, "rerequested", by));
  }

  /** Adds a comment to an issue or pull request conversation. */
  createComment(repo: string, number: number, body: string, by: string): SimComment {
    const r = this.state.repo(repo);
    if (!this.state.pullsOf(r).has(number) && !this.state.issuesOf(r).has(number))
      throw new SimRequestError(404, "Not Found");
    if (!body)
      throw new SimRequestError(422, "Validation Failed", [
        { resource: "IssueComment", field: "body", code: "missing_field" },
      ]);
    const now = this.state.now();
    const c: SimComment = {
      id: this.state.nextId("comment"),
      repo: this.state.fullName(r),
      issueNumber: number,
      user: by,
      body,
      createdAt: now,
      updatedAt: now,
    };
    this.state.comments.set(c.id, c);
    return c;
  }

  /** Replaces a comment's body. */
  updateComment(repo: string, id: number, body: string): SimComment {
    const c = this.inRepo(repo, this.state.comments.get(id));
    c.body = body;
    c.updatedAt = this.state.now();
    return c;
  }

  /** Opens an issue (issue and pull request numbers share one sequence); announces `issues.opened`. */
  createIssue(
    repo: string,
    input: { title: string; body?: string | null; labels?: string[]; assignees?: string[] },
    by: string,
  ): SimIssue {
    const r = this.state.repo(repo);
    if (!input.title)
      throw new SimRequestError(422, "Validation Failed", [
        { resource: "Issue", field: "title", code: "missing_field" },
      ]);
    const assignees = this.assignable(input.assignees ?? []);
    const now = this.state.now();
    const issue: SimIssue = {
      id: this.state.nextId("issue"),
      number: r.nextNumber++,
      repo: this.state.fullName(r),
      user: this.state.user(by).login,
      title: input.title,
      body: input.body ?? null,
      state: "open",
      stateReason: null,
      labels: (input.labels ?? []).map((l) => this.label(r, l)),
      assignees,
      createdAt: now,
      updatedAt: now,
      closedAt: null,
    };
    this.state.issuesOf(r).set(issue.number, issue);
    this.hooks.deliver("issues", issuesPayload(this.ctx(), this.app, r, issue, "opened", by));
    return issue;
  }

  /** Edits an issue; closing or reopening announces `issues.closed` / `issues.reopened`. */
  updateIssue(
    repo: string,
    number: number,
    edit: {
      title?: string;
      body?: string | null;
      state?: "open" | "closed";
      state_reason?: "completed" | "not_planned" | "reopened" | null;
      labels?: string[];
      assignees?: string[];
    },
    by: string,
  ): SimIssue {
    const r = this.state.repo(repo);
    const issue = found(this.state.issuesOf(r).get(number), "Issue");
    if (edit.title !== undefined) {
      if (!edit.title)
        throw new SimRequestError(422, "Validation Failed", [
          { resource: "Issue", field: "title", code: "missing_field" },
        ]);
      issue.title = edit.title;
    }
    if (edit.body !== undefined) issue.body = edit.body;
    if (edit.labels !== undefined) issue.labels = edit.labels.map((l) => this.label(r, l));
    if (edit.assignees !== undefined) issue.assignees = this.assignable(edit.assignees);
    const now = this.state.now();
    issue.updatedAt = now;
    if (edit.state === "closed" && issue.state === "open") {
      issue.state = "closed";
      issue.stateReason = edit.state_reason === "not_planned" ? "not_planned" : "completed";
      issue.closedAt = now;
      this.hooks.deliver("issues", issuesPayload(this.ctx(), this.app, r, issue, "closed", by));
    } else if (edit.state === "open" && issue.state === "closed") {
      issue.state = "open";
      issue.stateReason = "reopened";
      issue.closedAt = null;
      this.hooks.deliver("issues", issuesPayload(this.ctx(), this.app, r, issue, "reopened", by));
    }
    return issue;
  }

  private assignable(logins: string[]): string[] {
    return logins.map((a) => {
      const u = this.state.findUser(a);
      if (!u || u.type === "Organization")
        throw new SimRequestError(422, "Validation Failed", [
          { resource: "Issue", field: "assignees", code: "invalid", value: a },
        ]);
      return u.login;
    });
  }

  /** Sets a commit status. */
  createStatus(
    repo: string,
    sha: string,
    input: {
      state: SimStatus["state"];
      context?: string;
      description?: string | null;
      target_url?: string | null;
    },
    by: string,
  ): SimStatus {
    const r = this.state.repo(repo);
    if (!this.state.commits.has(sha)) throw new SimRequestError(422, `No commit found for SHA: ${sha}`);
    const s: SimStatus = {
      id: this.state.nextId("status"),
      repo: this.state.fullName(r),
      sha,
      state: input.state,
      context: input.context ?? "default",
      description: input.description ?? null,
      targetUrl: input.target_url ?? null,
      creator: by,
      createdAt: this.state.now(),
    };
    this.state.statuses.push(s);
    return s;
  }

  /** Creates, updates (content) or deletes (null) one file on a branch, checking the blob sha like GitHub. */
  writeFile(
    repo: string,
    input: {
      path: string;
      content: string | null;
      branch?: string;
      message: string;
      sha?: string;
      by: string;
    },
  ): { commitSha: string; created: boolean } {
    const r = this.state.repo(repo);
    const branch = input.branch ?? r.defaultBranch;
    const head = found(r.branches.get(branch), `Branch ${branch}`);
    const existing = this.state.commit(head).files.get(input.path);
    if (input.content === null) {
      if (existing === undefined) throw new SimRequestError(404, "Not Found");
      if (input.sha === undefined)
        throw new SimRequestError(422, 'Invalid request.\n\n"sha" wasn\'t supplied.');
    } else if (existing !== undefined && input.sha === undefined) {
      throw new SimRequestError(422, 'Invalid request.\n\n"sha" wasn\'t supplied.');
    }
    if (input.sha !== undefined && existing !== undefined && input.sha !== existing)
      throw new SimRequestError(409, `${input.path} does not match ${input.sha}`);
    const sha = this.commit(repo, branch, {
      files: { [input.path]: input.content },
      author: input.by,
      message: input.message,
    });
    return { commitSha: sha, created: existing === undefined };
  }

  /** Labels a pull request or issue. */
  addLabels(repo: string, number: number, names: string[]): void {
    const r = this.state.repo(repo);
    const target = this.state.pullsOf(r).get(number) ?? this.state.issuesOf(r).get(number);
    if (!target) throw new SimRequestError(404, "Not Found");
    for (const n of names) if (!target.labels.some((l) => l.name === n)) target.labels.push(this.label(r, n));
  }

  /** Repository a pull request belongs to, for callers holding only names. */
  repoOf(p: SimPull): SimRepo {
    return this.state.repo(p.repo);
  }
}
