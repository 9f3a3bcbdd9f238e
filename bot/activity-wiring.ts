import type { IncomingMessage, ServerResponse } from "node:http";
import type { Probot } from "probot";
import { activityReadersFromEnv } from "../activity/readers-from-env.js";
import { KubernetesAuditStore } from "../activity/kubernetes-audit-store.js";
import { kubernetesAuditWebhook, MAX_AUDIT_BODY_BYTES } from "../activity/kubernetes-audit-webhook.js";
import type { ActivityReader } from "../app/activity-record.js";
import { activitySubscriber, type ActivitySubscriberDeps } from "../app/activity-subscriber.js";
import type { LifecycleBus, Subscriber } from "../app/lifecycle-bus.js";
import { grantWindows } from "../core/activity/grant-windows.js";
import { requestSpans, type RequestVersion } from "../core/activity/request-spans.js";
import type { ActivityWindow } from "../core/activity/activity-window.js";
import type { GrantEvent } from "../core/events/lifecycle-event.js";
import type { GitHubClient } from "../github/client.js";
import { readBase } from "../github/read-base.js";
import { readFileAt } from "../github/read-file.js";
import type { RepoRef } from "../github/repo-ref.js";
import { BREAK_GLASS_LABEL } from "../app/apply-push.js";
import type { GitHubSession } from "../github/github-caches.js";
import { revertBranch } from "../github/open-revert-pr.js";
import type { Installations } from "./installations.js";
import type { Clock } from "../core/clock.js";
import type { Env } from "../core/env.js";

/** Most versions of one request file read back (a request is rarely extended more than a few times). */
const MAX_VERSIONS = 30;

/** Clock difference allowed between the bot (the expiry's time) and GitHub (the revert PR's creation). */
const REVERT_SKEW_MS = 10 * 60_000;

/** Marks the bot's activity comment so the later read edits it instead of adding another. */
const marker = (name: string) => `<!-- jitops:activity:${name} -->`;

/** Tuning of the activity wiring; tests make the delays small. */
export interface ActivityOptions {
  /** The environment: `JITOPS_ACTIVITY=on` turns the records on; readers and the audit token come from it. */
  env: Env;
  /** Readers to use instead of those the environment configures (tests point them at sim/cloud). */
  readers?: ActivityReader[];
  settleMs?: number;
  lateMs?: number;
  /** How long to look for the revert PR (the sweep opens it just after the expiry event); default 10 minutes. */
  revertWaitMs?: number;
  /** Between looks for the revert PR; default 30 s. */
  revertPollMs?: number;
}

/** Whether the environment turns activity records on. */
export function activityEnabled(env: Env): boolean {
  return env.JITOPS_ACTIVITY?.trim().toLowerCase() === "on";
}

/** What `subscribeActivity` started: its timers stop with the bot. */
export interface ActivityWiring {
  stop(): void;
}

/**
 * Subscribes one activity subscriber for every repository the bot serves (one per repository the
 * events name, made on first use) when `JITOPS_ACTIVITY=on`; undefined otherwise. Records are
 * scheduled with timers: a restart before a record is due loses it (the sweep does not replay it).
 */
export function subscribeActivity(
  bus: LifecycleBus,
  deps: {
    probot: Probot;
    known: Installations;
    options: ActivityOptions;
    now: Clock;
    store?: KubernetesAuditStore;
    warn: (message: string) => void;
  },
): ActivityWiring | undefined {
  const { options, now, warn } = deps;
  if (!activityEnabled(options.env)) return undefined;
  const readers = [
    ...(options.readers ?? activityReadersFromEnv(options.env, now)),
    ...(deps.store ? [deps.store.reader()] : []),
  ];
  const timers = new Set<NodeJS.Timeout>();
  let stopped = false;
  const client = async (repository: string) => {
    const found = await deps.known.session(deps.probot, repository);
    if (!found) throw new Error(`${repository} is not a repository this bot has heard from`);
    return { s: found.s, gh: found.s.gh, r: found.r };
  };
  const perRepo = new Map<string, Subscriber>();
  const subscriberOf = (repository: string): Subscriber => {
    const known = perRepo.get(repository);
    if (known) return known;
    const sub = activitySubscriber({
      repository,
      readers,
      windowsOf: async (event) => {
        const { s, r } = await client(repository);
        return requestWindows(s, r, event, warn);
      },
      post: async (event, markdown, records, update) => {
        const { gh, r } = await client(repository);
        await postRecord(gh, r, event, markdown, records, update, {
          waitMs: options.revertWaitMs ?? 10 * 60_000,
          pollMs: options.revertPollMs ?? 30_000,
          sleep: (ms) => new Promise((resolve) => timer(resolve, ms)),
        });
      },
      emit: (e) => bus.emit(e),
      schedule: (at, task) => {
        timer(
          () =>
            void task().catch((e: Error) =>
              warn(`jitops activity: recording for ${repository} failed: ${e.message}`),
            ),
          at.getTime() - now().getTime(),
        );
      },
      now,
      ...(options.settleMs !== undefined ? { settleMs: options.settleMs } : {}),
      ...(options.lateMs !== undefined ? { lateMs: options.lateMs } : {}),
    } satisfies ActivitySubscriberDeps);
    perRepo.set(repository, sub);
    return sub;
  };
  function timer(run: () => void, ms: number) {
    if (stopped) return;
    const t = setTimeout(
      () => {
        timers.delete(t);
        run();
      },
      Math.max(0, ms),
    ).unref();
    timers.add(t);
  }
  bus.subscribe({
    name: "activity",
    handle: (event) =>
      event.type === "expired" || event.type === "revoked"
        ? subscriberOf(event.repository).handle(event)
        : undefined,
  });
  return {
    stop: () => {
      stopped = true;
      for (const t of timers) clearTimeout(t);
      timers.clear();
    },
  };
}

/**
 * Every window of the request's current grant: its versions on the default branch since it was last
 * added (up to its deletion, if merged yet), each read with the policy at the commit that holds it.
 */
async function requestWindows(
  s: GitHubSession,
  r: RepoRef,
  event: GrantEvent,
  warn: (message: string) => void,
): Promise<ActivityWindow[]> {
  const name = event.request.name;
  const path = `access/requests/${name}.yaml`;
  const { data: repo } = await s.gh.request("GET /repos/{owner}/{repo}", { ...r });
  const { data: commits } = await s.gh.request("GET /repos/{owner}/{repo}/commits", {
    ...r,
    sha: repo.default_branch,
    path,
    per_page: MAX_VERSIONS,
  });
  // Newest first; walk back to the commit that last added the file.
  const versions: RequestVersion[] = [];
  for (const c of commits) {
    const content = await readFileAt(s, r, path, c.sha);
    if (content === undefined && versions.some((v) => v.content !== undefined)) break;
    versions.unshift({
      commit: c.sha,
      time: new Date(c.commit.committer?.date ?? c.commit.author?.date ?? 0).toISOString(),
      ...(c.author?.login ? { author: c.author.login } : {}),
      ...(content !== undefined ? { content } : {}),
    });
  }
  const last = [...versions].reverse().find((v) => v.content !== undefined);
  if (!last) return [];
  const policy = (await readBase(s, r, last.commit)).loaded.policy?.source;
  if (!policy) {
    warn(`jitops activity: no policy at ${last.commit.slice(0, 12)} for ${name}`);
    return [];
  }
  const { spans, problems } = requestSpans(name, versions, policy, event.request.requester);
  for (const p of problems) warn(`jitops activity: ${p}`);
  return spans.flatMap(grantWindows);
}

/**
 * Comments on the revert PR (an early revoke has none: the PR that deleted the request file instead),
 * and for break-glass grants on the post-incident review issue; a later read edits that comment.
 */
async function postRecord(
  gh: GitHubClient,
  r: RepoRef,
  event: GrantEvent,
  markdown: string,
  records: { window: ActivityWindow }[],
  update: boolean,
  wait: { waitMs: number; pollMs: number; sleep(ms: number): Promise<void> },
): Promise<void> {
  const name = event.request.name;
  const body = `${marker(name)}\n${markdown}`;
  const targets: number[] = [];
  // Only the sweep reverts (expiries); a revoke is the merge of a PR that deleted the file.
  const pull =
    event.type === "expired"
      ? await findRevertPull(gh, r, name, new Date(Date.parse(event.time) - REVERT_SKEW_MS), wait)
      : (event.pr ?? (event.commit ? await pullOfCommit(gh, r, event.commit) : undefined));
  if (pull !== undefined) targets.push(pull);
  if (records.some((x) => x.window.subject.kind === "grant" && x.window.subject.breakGlass)) {
    const { data: issues } = await gh.request("GET /repos/{owner}/{repo}/issues", {
      ...r,
      labels: BREAK_GLASS_LABEL,
      state: "all",
      per_page: 100,
    });
    const issue = issues.find((i) => i.title === `Break-glass review: ${name}`);
    if (issue) targets.push(issue.number);
  }
  if (targets.length === 0) throw new Error(`no revert pull request or review issue of ${name} to post on`);
  for (const n of targets) {
    const existing = update
      ? (
          await gh.request("GET /repos/{owner}/{repo}/issues/{issue_number}/comments", {
            ...r,
            issue_number: n,
            per_page: 100,
          })
        ).data.find((c) => c.body?.startsWith(marker(name)))
      : undefined;
    if (existing)
      await gh.request("PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}", {
        ...r,
        comment_id: existing.id,
        body,
      });
    else
      await gh.request("POST /repos/{owner}/{repo}/issues/{issue_number}/comments", {
        ...r,
        issue_number: n,
        body,
      });
  }
}

/** The pull request that merged a commit (an early revoke's: it deleted the request file). */
async function pullOfCommit(gh: GitHubClient, r: RepoRef, sha: string): Promise<number | undefined> {
  const { data } = await gh.request("GET /repos/{owner}/{repo}/commits/{commit_sha}/pulls", {
    ...r,
    commit_sha: sha,
  });
  return data.find((p) => p.merged_at)?.number ?? data[0]?.number;
}

/** The revert PR of a request (open or merged); on an expiry the sweep opens it just after, so it is looked for a while. */
async function findRevertPull(
  gh: GitHubClient,
  r: RepoRef,
  name: string,
  since: Date,
  wait: { waitMs: number; pollMs: number; sleep(ms: number): Promise<void> },
): Promise<number | undefined> {
  const branch = revertBranch(name);
  for (let waited = 0; ; waited += wait.pollMs) {
    const { data } = await gh.request("GET /repos/{owner}/{repo}/pulls", {
      ...r,
      state: "all",
      head: `${r.owner}:${branch}`,
      per_page: 100,
    });
    // A request name used again has older revert PRs: only one opened after this expiry counts.
    const pull = data
      .filter((p) => p.head.ref === branch && Date.parse(p.created_at) >= since.getTime())
      .sort((a, b) => b.number - a.number)[0];
    if (pull) return pull.number;
    if (waited >= wait.waitMs) return undefined;
    await wait.sleep(wait.pollMs);
  }
}

/**
 * The Kubernetes audit endpoint as an HTTP route (`POST /k8s-audit?cluster=<name>`): reads the body up
 * to the handler's bound, then answers the handler's status and JSON body. Clusters accepted are
 * `JITOPS_K8S_AUDIT_CLUSTERS` (comma-separated, as policy names them).
 */
export function kubernetesAuditRoute(
  env: Env,
  store: KubernetesAuditStore,
): (req: IncomingMessage, res: ServerResponse) => void {
  const handler = kubernetesAuditWebhook({
    token: env.JITOPS_K8S_AUDIT_TOKEN?.trim() || undefined,
    clusters: (env.JITOPS_K8S_AUDIT_CLUSTERS ?? "")
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean),
    store,
  });
  const send = (res: ServerResponse, status: number, body: object) => {
    res.writeHead(status, { "content-type": "application/json" });
    res.end(JSON.stringify(body));
  };
  return (req, res) => {
    if (req.method !== "POST") {
      send(res, 405, { ok: false, code: "method", message: "only POST is served here" });
      return;
    }
    const cluster = new URL(req.url ?? "/", "http://localhost").searchParams.get("cluster") ?? undefined;
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      // Past the bound the rest is drained, not held: the handler answers 413 from the size alone.
      if (size > MAX_AUDIT_BODY_BYTES) over = true;
      else chunks.push(chunk);
    });
    req.on("end", () => {
      const authorization = req.headers.authorization;
      if (over) {
        // The token and cluster are still checked first; an empty body stands in to learn whether they pass.
        const first = handler({ authorization, body: "", cluster });
        if (first.body.ok === false && first.body.code !== "activity.k8s-audit-invalid")
          return send(res, first.status, first.body);
        return send(res, 413, {
          ok: false,
          code: "activity.k8s-audit-too-large",
          message: `the batch is over ${MAX_AUDIT_BODY_BYTES} bytes`,
        });
      }
      const reply = handler({ authorization, body: Buffer.concat(chunks).toString("utf8"), cluster });
      send(res, reply.status, reply.body);
    });
    req.on("error", () => res.destroy());
  };
}

/** One Kubernetes audit store per bot instance. */
export function kubernetesAuditStore(now: Clock): KubernetesAuditStore {
  return new KubernetesAuditStore(now);
}
