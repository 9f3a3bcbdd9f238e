import { GitHubInstance } from "../../github/github-instance.js";
import { Installations } from "../../bot/installations.js";
import { aliceWorks, seedActivity, simActivityReaders } from "../../cli/demo/activity-world.js";
import { ACCESS_REPO } from "../../cli/demo/grants-world.js";
import { createLifecycleBus } from "../../app/lifecycle-bus.js";
import { activityEnabled, subscribeActivity } from "../../bot/activity-wiring.js";
import type { ActivityEvent, LifecycleEvent } from "../../core/events/lifecycle-event.js";
import { BREAK_GLASS_LABEL } from "../../app/apply-push.js";
import { revertBranch } from "../../github/open-revert-pr.js";
import { MAX_AUDIT_BODY_BYTES } from "../../activity/kubernetes-audit-webhook.js";
import { expectLifecycleEvent } from "../core/events/lifecycle-schema.js";
import { GrantsScenario, PEOPLE } from "./helpers/grants-scenario.js";

// Activity records wired into the real bot on sim/github and sim/cloud: the sweeper's expiry event
// reaches the bot's activity subscriber, which reads the clouds' logs (and the Kubernetes audit
// events the bot received on /k8s-audit) and comments on the revert PR.

const ALICE = PEOPLE.alice!;
const MINUTE = 60_000;
const TOKEN = "k8s-audit-s3cret";
const ENV = {
  JITOPS_ACTIVITY: "on",
  JITOPS_K8S_AUDIT_TOKEN: TOKEN,
  JITOPS_K8S_AUDIT_CLUSTERS: "prod",
};

/** An audit.k8s.io/v1 EventList of alice's calls at `time`. */
const eventList = (time: Date, verbs: string[]) =>
  JSON.stringify({
    kind: "EventList",
    apiVersion: "audit.k8s.io/v1",
    items: verbs.map((verb, i) => ({
      auditID: `audit-${i}`,
      stage: "ResponseComplete",
      verb,
      user: { username: ALICE.kubernetes },
      objectRef: { resource: "pods", namespace: "payments", name: "api-0" },
      responseStatus: { code: 200 },
      stageTimestamp: time.toISOString(),
    })),
  });

async function post(url: string, body: string, authorization?: string) {
  const res = await fetch(url, {
    method: "POST",
    body,
    headers: { "content-type": "application/json", ...(authorization ? { authorization } : {}) },
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

/** Waits (bounded) until `probe` returns something: the record is written by a timer, after the sweep. */
async function eventually<T>(probe: () => T | undefined, ms = 15_000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const v = probe();
    if (v !== undefined) return v;
    if (Date.now() > until) throw new Error("timed out waiting");
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe("activity records in the running bot (real bot, readers and providers on the simulators)", () => {
  let s: GrantsScenario | undefined;
  afterEach(async () => {
    await s?.close();
    s = undefined;
  });

  it("alice's expired grant: the revert PR gets her activity record (GCP calls and Kubernetes audit events) and activity events are emitted", async () => {
    const sc = (s = await GrantsScenario.start(new Date(Date.UTC(2026, 11, 1, 10)), (cloud, now) => ({
      activity: {
        env: ENV,
        readers: simActivityReaders(cloud, now),
        settleMs: 0,
        lateMs: 60 * MINUTE,
        revertPollMs: 20,
        revertWaitMs: 10_000,
      },
    })));
    const emitted: LifecycleEvent[] = [];
    sc.w.bot.events.subscribe({ name: "test", handle: (e) => void emitted.push(e) });
    seedActivity(sc.cloud);
    await sc.request("alice-prod-db", "alice");

    sc.clock.advance(30 * MINUTE);
    const made = await aliceWorks(sc.cloud, ALICE.gcp);
    expect(made.map((c) => c.status)).toEqual([200, 200, 403]);
    const audit = `${sc.w.bot.url}/k8s-audit?cluster=prod`;
    const sent = eventList(sc.clock.now(), ["get", "list"]);
    expect(await post(audit, sent, `Bearer ${TOKEN}`)).toEqual({
      status: 200,
      body: { ok: true, received: 2, stored: 2 },
    });

    // Past the 4 h grant: the sweep removes the bindings, opens and merges the revert PR.
    sc.clock.advance(4 * 60 * MINUTE);
    await sc.sweep();
    const revert = sc.pulls().find((p) => p.headRef === revertBranch("alice-prod-db"));
    expect(revert?.merged).toBe(true);

    const record = await eventually(() =>
      sc.comments(revert!.number).find((c) => c.includes("Activity during the grant")),
    );
    expect(record).toContain("(gcp, `user:alice@acme.example`): 3 calls (1 denied)");
    for (const c of made) expect(record).toContain(`| ${c.method} |`);
    expect(record).toContain(
      "| cloudsql.instances.restart | projects/acme-prod/instances/orders-db | 1 | 1 |",
    );
    expect(record).toContain("(kubernetes, `alice@acme.example`): 2 calls");
    expect(record).toContain("| prod/core | get pods | namespaces/payments/pods/api-0 | 1 | 0 |");
    expect(record).toMatch(/\(azure, `[^`]+`\): \*\*no activity\*\*/);
    // One comment: the two removal events (GCP, Kubernetes) name the same windows.
    expect(sc.comments(revert!.number).filter((c) => c.includes("Activity during the grant"))).toHaveLength(
      1,
    );

    await sc.w.bot.idle();
    const activity = await eventually(() => {
      const a = emitted.filter((e): e is ActivityEvent => e.type === "activity");
      return a.length >= 3 ? a : undefined;
    });
    for (const e of activity) expectLifecycleEvent(e);
    expect(activity.map((e) => e.provider).sort()).toEqual(["azure", "gcp", "kubernetes"]);
    expect(activity.every((e) => e.repository === ACCESS_REPO)).toBe(true);
    const gcp = activity.find((e) => e.provider === "gcp")!;
    expect([gcp.calls, gcp.denied, gcp.request?.name]).toEqual([3, 1, "alice-prod-db"]);
  });

  it("break-glass: the record goes on the revert PR and on the post-incident review issue", async () => {
    const sc = (s = await GrantsScenario.start(new Date(Date.UTC(2026, 11, 4, 10)), (cloud, now) => ({
      activity: { env: ENV, readers: simActivityReaders(cloud, now), settleMs: 0, revertPollMs: 20 },
    })));
    seedActivity(sc.cloud);
    await sc.request("alice-bg", "alice", { breakGlass: true, duration: "1h" }, null);
    sc.clock.advance(10 * MINUTE);
    await aliceWorks(sc.cloud, ALICE.gcp);
    sc.clock.advance(60 * MINUTE);
    await sc.sweep();
    // Issue and PR numbers are one sequence: look the revert PR up past the review issue's number.
    const revert = [1, 2, 3, 4, 5, 6, 7, 8]
      .flatMap((n) => {
        try {
          return [sc.gh.getPullRequest(ACCESS_REPO, n)];
        } catch {
          return [];
        }
      })
      .find((p) => p.headRef === revertBranch("alice-bg"))!;
    const issue = sc.gh
      .listIssues(ACCESS_REPO)
      .find((i) => i.labels.some((l) => l.name === BREAK_GLASS_LABEL))!;
    expect(issue.title).toBe("Break-glass review: alice-bg");
    const onRevert = await eventually(() =>
      sc.comments(revert.number).find((c) => c.includes("Activity during the grant")),
    );
    const onIssue = await eventually(() =>
      sc.comments(issue.number).find((c) => c.includes("Activity during the grant")),
    );
    expect(onIssue).toBe(onRevert);
    expect(onRevert).toContain("(gcp, `user:alice@acme.example`): 3 calls (1 denied)");
  });

  it("an early revoke: the record goes on the PR that deleted the request, its window ending at that merge; a later read edits it with late entries", async () => {
    const LATE_READ_MS = 600;
    const sc = (s = await GrantsScenario.start(new Date(Date.UTC(2026, 11, 5, 10)), (cloud, now) => ({
      activity: { env: ENV, readers: simActivityReaders(cloud, now), settleMs: 0, lateMs: LATE_READ_MS },
    })));
    const emitted: ActivityEvent[] = [];
    sc.w.bot.events.subscribe({
      name: "test",
      handle: (e) => void (e.type === "activity" && emitted.push(e)),
    });
    seedActivity(sc.cloud);
    await sc.request("alice-rv", "alice");
    sc.clock.advance(10 * MINUTE);
    await aliceWorks(sc.cloud, ALICE.gcp);
    // These three reach Cloud Logging an hour late: the first read misses them, the later one finds them.
    sc.cloud.setAuditLogDelay(60 * MINUTE);
    await aliceWorks(sc.cloud, ALICE.gcp);
    sc.cloud.setAuditLogDelay(0);
    sc.clock.advance(10 * MINUTE);
    const { pr } = await sc.revoke("alice-rv", "alice");
    const revokedAt = sc.clock.now().toISOString();
    const records = () => sc.comments(pr).filter((c) => c.includes("Activity during the grant"));
    const first = await eventually(() => records()[0]);
    // Past the late entries' delay before the later read runs (LATE_READ_MS of real time).
    sc.clock.advance(61 * MINUTE);
    expect(first).toContain("(gcp, `user:alice@acme.example`): 3 calls (1 denied)");
    expect(sc.pulls().some((p) => p.headRef === revertBranch("alice-rv"))).toBe(false);
    const gcpFirst = await eventually(() => emitted.find((e) => e.provider === "gcp"));
    expect(gcpFirst.end).toBe(revokedAt);

    const edited = await eventually(() => {
      const r = records();
      return r.length === 1 && r[0]!.includes("6 calls") ? r[0] : undefined;
    });
    expect(edited).toContain("(gcp, `user:alice@acme.example`): 6 calls (2 denied)");
    const gcpEvents = await eventually(() => {
      const g = emitted.filter((e) => e.provider === "gcp");
      return g.length === 2 ? g : undefined;
    });
    expect(gcpEvents.map((e) => e.calls)).toEqual([3, 6]);
  });

  it("a request name used again: the second grant's record (no activity this time) goes on its own revert PR, never on the first one's", async () => {
    const sc = (s = await GrantsScenario.start(new Date(Date.UTC(2026, 11, 6, 10)), (cloud, now) => ({
      activity: { env: ENV, readers: simActivityReaders(cloud, now), settleMs: 0, revertPollMs: 20 },
    })));
    seedActivity(sc.cloud);
    const life = async (calls: boolean) => {
      await sc.request("alice-again", "alice", { duration: "1h" });
      sc.clock.advance(10 * MINUTE);
      if (calls) await aliceWorks(sc.cloud, ALICE.gcp);
      sc.clock.advance(60 * MINUTE);
      await sc.sweep();
      const reverts = sc.pulls().filter((p) => p.headRef === revertBranch("alice-again"));
      const latest = reverts.at(-1)!;
      return {
        reverts,
        record: await eventually(() =>
          sc.comments(latest.number).find((c) => c.includes("Activity during the grant")),
        ),
      };
    };
    const first = await life(true);
    expect(first.record).toContain("(gcp, `user:alice@acme.example`): 3 calls (1 denied)");
    const second = await life(false);
    expect(second.reverts).toHaveLength(2);
    expect(second.record).toMatch(/\(gcp, `user:alice@acme\.example`\): \*\*no activity\*\*/);
    const onFirst = sc.comments(first.reverts[0]!.number);
    expect(onFirst.filter((c) => c.includes("Activity during the grant"))).toEqual([first.record]);
  });

  it("/k8s-audit on the bot: 401 without or with a wrong token, 400 for an unknown cluster, 413 over the bound, 405 on GET", async () => {
    const sc = (s = await GrantsScenario.start(new Date(Date.UTC(2026, 11, 2, 10)), () => ({
      activity: { env: ENV, readers: [] },
    })));
    const url = `${sc.w.bot.url}/k8s-audit?cluster=prod`;
    const body = eventList(sc.clock.now(), ["get"]);
    const unauthorized = {
      status: 401,
      body: {
        ok: false,
        code: "activity.k8s-audit-unauthorized",
        message: "a bearer token equal to JITOPS_K8S_AUDIT_TOKEN is required",
      },
    };
    expect(await post(url, body)).toEqual(unauthorized);
    expect(await post(url, body, "Bearer wrong")).toEqual(unauthorized);
    expect(await post(`${sc.w.bot.url}/k8s-audit?cluster=dev`, body, `Bearer ${TOKEN}`)).toMatchObject({
      status: 400,
      body: { ok: false, code: "activity.k8s-audit-cluster" },
    });
    const huge = "x".repeat(MAX_AUDIT_BODY_BYTES + 1);
    expect(await post(url, huge, `Bearer ${TOKEN}`)).toEqual({
      status: 413,
      body: {
        ok: false,
        code: "activity.k8s-audit-too-large",
        message: `the batch is over ${MAX_AUDIT_BODY_BYTES} bytes`,
      },
    });
    // Over the bound and unauthenticated: the token is checked first.
    expect((await post(url, huge)).status).toBe(401);
    const get = await fetch(url);
    expect(get.status).toBe(405);
    await get.arrayBuffer();
    expect(await post(url, body, `Bearer ${TOKEN}`)).toEqual({
      status: 200,
      body: { ok: true, received: 1, stored: 1 },
    });
  });

  it("without JITOPS_ACTIVITY=on the bot serves no /k8s-audit (405, as any POST off the webhook path) and the wiring subscribes nothing", async () => {
    const sc = (s = await GrantsScenario.start(new Date(Date.UTC(2026, 11, 3, 10)), () => ({
      activity: { env: { JITOPS_K8S_AUDIT_TOKEN: TOKEN, JITOPS_K8S_AUDIT_CLUSTERS: "prod" }, readers: [] },
    })));
    const res = await post(`${sc.w.bot.url}/k8s-audit?cluster=prod`, "{}", `Bearer ${TOKEN}`);
    expect(res).toMatchObject({ status: 405, body: { ok: false, code: "method" } });
    expect(activityEnabled({})).toBe(false);
    expect(activityEnabled({ JITOPS_ACTIVITY: "off" })).toBe(false);
    expect(activityEnabled({ JITOPS_ACTIVITY: "on" })).toBe(true);
    const bus = createLifecycleBus({ warn: () => undefined });
    const wiring = subscribeActivity(bus, {
      probot: sc.w.bot.probot,
      known: new Installations(new GitHubInstance()),
      options: { env: { JITOPS_K8S_AUDIT_TOKEN: TOKEN }, readers: [] },
      now: sc.clock.now,
      warn: () => undefined,
    });
    expect(wiring).toBeUndefined();
  });
});
