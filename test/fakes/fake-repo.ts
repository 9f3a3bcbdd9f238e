/**
 * An in-memory repository behind the application layer's ports (like policy-bot's
 * pulltest.Context): use-case tests set what the forge shows and read what the use case wrote,
 * without HTTP. Each port call is logged in `calls`; `fail` makes a port throw.
 */
import type { DecideDeps } from "../../app/decide-pull.js";
import {
  HeadNotVisibleError,
  type ApiUser,
  type GitRequest,
  type MergeOutcome,
  type NewIssue,
  type PullRead,
  type PullSummary,
  type RepoPorts,
  type RevertInput,
  type WriteCheckOptions,
} from "../../app/ports.js";
import { UseCaseMemory } from "../../app/use-case-memory.js";
import type { AuditEvent } from "../../core/audit.js";
import type { CompiledPolicy } from "../../core/compile-policy.js";
import type { PreparedBase } from "../../core/evaluate/prepare-base.js";
import type { DirectorySnapshot, PullSnapshot } from "../../core/evaluate/pull-snapshot.js";
import type { LifecycleEvent } from "../../core/events/lifecycle-event.js";
import type { CheckOutput } from "../../core/render-check.js";

type PortName = keyof RepoPorts;

export class FakeRepo implements RepoPorts {
  readonly repository = "acme/access";
  readonly owner = "acme";
  readonly key = "fake#1/acme/access";
  /** What the forge shows. */
  readonly pulls = new Map<number, PullRead>();
  readonly bases = new Map<string, PreparedBase>();
  directorySnapshot: DirectorySnapshot = { users: {}, teams: {} };
  /** File contents by `sha:path`. */
  readonly files = new Map<string, string>();
  /** Merged pull requests by merge commit. */
  readonly mergedPulls = new Map<string, { number: number; mergedAt: string }>();
  mergeOutcome: MergeOutcome = { merged: true, sha: "m1" };
  /** What the use case did. */
  readonly calls: string[] = [];
  readonly checks: { head: string; check: CheckOutput; opts: WriteCheckOptions }[] = [];
  readonly comments: { number: number; body: string }[] = [];
  readonly merges: { number: number; head: string }[] = [];
  readonly reviewRequests: { number: number; who: { teams: string[]; users: string[] } }[] = [];
  /** Ports that throw this error when called. */
  readonly fail = new Map<PortName, Error>();

  /** A pull request with `snapshot`, open, on `baseSha`. */
  addPull(number: number, snapshot: PullSnapshot, baseSha: string, users: ApiUser[] = []): this {
    this.pulls.set(number, {
      number,
      headSha: snapshot.head,
      baseSha,
      author: { login: snapshot.author, id: snapshot.authorId ?? 1 },
      state: "open",
      draft: false,
      snapshot,
      users,
    });
    return this;
  }

  private call(port: PortName, detail = ""): void {
    this.calls.push(detail ? `${port} ${detail}` : port);
    const e = this.fail.get(port);
    if (e) throw e;
  }

  async pull(number: number, opts: { expectedHead?: string; known?: PullSummary } = {}): Promise<PullRead> {
    this.call("pull", `#${number}`);
    const p = this.pulls.get(number);
    if (!p) throw Object.assign(new Error(`no pull request #${number}`), { status: 404 });
    if (opts.expectedHead && opts.expectedHead !== p.headSha)
      throw new HeadNotVisibleError(opts.expectedHead, p.headSha);
    return p;
  }
  async base(sha: string): Promise<PreparedBase> {
    this.call("base", sha);
    const b = this.bases.get(sha);
    if (!b) throw new Error(`no base at ${sha}`);
    return b;
  }
  async directory(): Promise<DirectorySnapshot> {
    this.call("directory");
    return this.directorySnapshot;
  }
  async team(team: string): Promise<ApiUser[]> {
    this.call("team", team);
    return (this.directorySnapshot.teams[team] ?? []).map((login) => ({
      login,
      id: this.directorySnapshot.users[login]?.id ?? 0,
    }));
  }
  async fileAt(path: string, sha: string): Promise<string | undefined> {
    this.call("fileAt", `${sha}:${path}`);
    return this.files.get(`${sha}:${path}`);
  }
  async mergedPullOf(sha: string) {
    this.call("mergedPullOf", sha);
    return this.mergedPulls.get(sha);
  }
  async *openPulls(): AsyncIterable<PullSummary[]> {
    this.call("openPulls");
    yield [...this.pulls.values()]
      .filter((p) => p.state === "open")
      .map((p) => ({
        number: p.number,
        state: p.state,
        head: { sha: p.headSha },
        base: { sha: p.baseSha },
        user: { login: p.author.login, id: p.author.id },
      }));
  }
  async defaultBranch() {
    this.call("defaultBranch");
    return { name: "main", headSha: [...this.bases.keys()].at(-1) ?? "main-sha" };
  }
  async mergedRequests(_sha: string, _policy: CompiledPolicy): Promise<GitRequest[]> {
    this.call("mergedRequests");
    return [];
  }
  async writeCheck(head: string, check: CheckOutput, opts: WriteCheckOptions): Promise<number | undefined> {
    this.call("writeCheck", `${head} ${check.conclusion}`);
    if (opts.create === false && !this.checks.some((c) => c.head === head)) return undefined;
    this.checks.push({ head, check, opts });
    return this.checks.length;
  }
  async merge(number: number, head: string): Promise<MergeOutcome> {
    this.call("merge", `#${number}@${head}`);
    this.merges.push({ number, head });
    return this.mergeOutcome;
  }
  async comment(number: number, body: string): Promise<void> {
    this.call("comment", `#${number}`);
    this.comments.push({ number, body });
  }
  async requestReviews(number: number, who: { teams: string[]; users: string[] }): Promise<void> {
    this.call("requestReviews", `#${number}`);
    this.reviewRequests.push({ number, who });
  }
  async stickyComment(number: number, _marker: string, body: string): Promise<void> {
    this.call("stickyComment", `#${number}`);
    this.comments.push({ number, body });
  }
  async setStatus(sha: string, state: "success" | "failure"): Promise<void> {
    this.call("setStatus", `${sha} ${state}`);
  }
  async openIssue(issue: NewIssue): Promise<number> {
    this.call("openIssue", issue.title);
    return 900;
  }
  async openRevertPr(input: RevertInput): Promise<number> {
    this.call("openRevertPr", input.name);
    return 901;
  }
}

/** What deciding needs, with the audit events and lifecycle events it produced collected. */
export function fakeDecideDeps(now: Date, memory = new UseCaseMemory(() => now)) {
  const audited: AuditEvent[] = [];
  const events: LifecycleEvent[] = [];
  const logged: string[] = [];
  const deps: DecideDeps = {
    clock: () => now,
    memory,
    audit: { write: (e) => void audited.push(e) },
    log: { info: (m) => void logged.push(m), warn: (m) => void logged.push(`warning: ${m}`) },
    events: { emit: (e) => void events.push(e) },
  };
  return { deps, audited, events, logged };
}
