import {
  aliceWorks,
  DEPLOYER,
  deployerWorks,
  seedActivity,
  simActivityReaders,
  simRoleCatalogues,
} from "../../cli/demo/activity-world.js";
import { exampleBase } from "../../cli/demo/grants-world.js";
import { activitySubscriber } from "../../app/activity-subscriber.js";
import { createLifecycleBus } from "../../app/lifecycle-bus.js";
import { rightsize } from "../../app/rightsize.js";
import type { ActivityRecord } from "../../core/activity/activity-record.js";
import { grantWindows, workloadWindows } from "../../core/activity/grant-windows.js";
import { renderActivityMarkdown } from "../../core/activity/render-activity.js";
import { grantEvent } from "../../core/events/build-events.js";
import type { ActivityEvent, GrantEvent, LifecycleEvent } from "../../core/events/lifecycle-event.js";
import { loadPolicy } from "../../core/load-policy.js";
import { expectLifecycleEvent } from "../core/events/lifecycle-schema.js";
import { GrantsScenario, PEOPLE } from "./helpers/grants-scenario.js";

// Activity records and rightsizing on the embedded clouds: the real log readers (Cloud Logging
// entries:list, the Azure Activity Log through @azure/arm-monitor, IAM roles) read what the
// simulator recorded of the calls it actually received.

const ALICE = PEOPLE.alice!;
const MINUTE = 60_000;
const SETTLE = 15 * MINUTE;
const LATE = 60 * MINUTE;

function policy() {
  const files = Object.entries(exampleBase())
    .filter(([p]) => p.startsWith("policies/"))
    .map(([path, content]) => ({ path, content }));
  const loaded = loadPolicy(files);
  if (!loaded.policy) throw new Error("example policy is invalid");
  return loaded.policy.source;
}

/** Runs the subscriber's scheduled reads when their time comes on the virtual clock. */
function scheduler(s: GrantsScenario) {
  const tasks: { at: number; run: () => Promise<void> }[] = [];
  return {
    schedule: (at: Date, run: () => Promise<void>) => void tasks.push({ at: at.getTime(), run }),
    async runDue() {
      for (;;) {
        const due = tasks.filter((t) => t.at <= s.clock.now().getTime());
        if (due.length === 0) return;
        for (const t of due) tasks.splice(tasks.indexOf(t), 1);
        for (const t of due) await t.run();
      }
    },
    pending: () => tasks.length,
  };
}

describe("activity records and least privilege (real readers on the simulators, virtual clock)", () => {
  let s: GrantsScenario | undefined;
  afterEach(async () => {
    await s?.close();
    s = undefined;
  });

  it("alice's grant window records exactly the calls she made, appends a late entry, and flags the cloud she never used", async () => {
    const sc = (s = await GrantsScenario.start(new Date(Date.UTC(2026, 11, 1, 10))));
    seedActivity(sc.cloud);
    await sc.request("alice-prod-db", "alice");
    const granted = sc.w.grantAudit.filter((e) => e.kind === "grant" && e.requestId === "alice-prod-db");
    expect(granted.map((e) => e.provider).sort()).toEqual(["azure", "gcp", "kubernetes"]);

    // During the window: three calls (one refused), and one more whose audit entry reaches the log late.
    sc.clock.advance(30 * MINUTE);
    const made = await aliceWorks(sc.cloud, ALICE.gcp);
    expect(made.map((c) => c.status)).toEqual([200, 200, 403]);
    sc.clock.advance(3 * 60 * MINUTE);
    sc.cloud.setAuditLogDelay(60 * MINUTE);
    const late = await aliceWorks(sc.cloud, ALICE.gcp);
    sc.cloud.setAuditLogDelay(0);
    // Someone else's call in the same project and window is not alice's activity.
    await aliceWorks(sc.cloud, PEOPLE.bob!.gcp);

    sc.clock.advance(30 * MINUTE + MINUTE);
    await sc.sweep();
    const removals = sc.w.grantAudit.filter((e) => e.kind === "revoke" && e.requestId === "alice-prod-db");
    expect(removals.map((e) => e.provider).sort()).toEqual(["gcp", "kubernetes"]);

    const entitlement = policy().entitlements.find((e) => e.name === "prod-db-reader")!;
    const emitted: LifecycleEvent[] = [];
    const posts: { markdown: string; records: ActivityRecord[]; update: boolean }[] = [];
    const clockTasks = scheduler(sc);
    const start = (provider: string) => granted.find((g) => g.provider === provider)!.time;
    const bus = createLifecycleBus(
      {
        warn: (m) => {
          throw new Error(m);
        },
      },
      [
        activitySubscriber({
          repository: "acme/access",
          readers: simActivityReaders(sc.cloud, sc.clock.now),
          windowsOf: async (e: GrantEvent) =>
            grantWindows({
              request: e.request.name,
              entitlement,
              principals: { gcp: ALICE.gcp, azure: ALICE.azure!, kubernetes: ALICE.kubernetes! },
              start: start(e.provider),
              end: e.notAfter ?? e.time,
            }),
          post: async (_e, markdown, records, update) => void posts.push({ markdown, records, update }),
          emit: (e) => void emitted.push(e),
          schedule: clockTasks.schedule,
          now: sc.clock.now,
          settleMs: SETTLE,
          lateMs: LATE,
        }),
      ],
    );
    // Azure PIM schedules end by themselves: the GCP and Kubernetes removals are the events there are.
    for (const r of removals) bus.emit(grantEvent(r));
    await bus.idle();
    expect(removals.map((r) => grantEvent(r).type)).toContain("expired");

    // Nothing is read before the logs settle.
    await clockTasks.runDue();
    expect(posts).toEqual([]);
    sc.clock.advance(SETTLE);
    await clockTasks.runDue();

    expect(posts).toHaveLength(1);
    const record = (provider: string) => posts[0]!.records.find((r) => r.window.provider === provider)!;
    const gcp = record("gcp");
    expect(gcp.entries.map((e) => [e.method, e.denied])).toEqual(
      made.map((c) => [c.method, c.status !== 200]),
    );
    expect(gcp.entries.every((e) => e.principal === "alice@acme.example")).toBe(true);
    expect(gcp.permissions).toEqual(["cloudsql.instances.get", "cloudsql.instances.list"]);
    expect(gcp.deniedPermissions).toEqual(["cloudsql.instances.restart"]);
    expect(gcp.denied).toBe(1);
    expect(gcp.sources.map((x) => [x.log, x.available])).toEqual([
      ["admin-activity", true],
      ["data-access", true],
    ]);

    const azure = record("azure");
    expect(azure.noActivity).toBe(true);
    expect(renderActivityMarkdown([azure])).toMatch(/no activity.*standing access nobody used/);

    // No Kubernetes audit events reached this instance: unknown, never "no activity".
    expect(record("kubernetes")).toMatchObject({ noActivity: false, calls: 0 });
    const md = posts[0]!.markdown;
    expect(md).toMatch(/kubernetes, `alice@acme.example`\): activity unknown/);
    expect(md).toMatch(
      /\| cloudsql\.googleapis\.com \| cloudsql\.instances\.restart \| projects\/acme-prod\/instances\/orders-db \| 1 \| 1 \|/,
    );
    expect(md).toMatch(/<details>[\s\S]*cloudsql\.instances\.restart[\s\S]*\*\*denied\*\*[\s\S]*<\/details>/);

    // The late entry arrives; the second read appends it (and only it), as an update.
    sc.clock.advance(LATE);
    await clockTasks.runDue();
    const update = posts.filter((p) => p.update);
    expect(update).toHaveLength(1);
    const appended = update[0]!.records.find((r) => r.window.provider === "gcp")!;
    expect(appended.calls).toBe(made.length + late.length);
    expect(appended.entries.slice(made.length).map((e) => e.method)).toEqual(late.map((c) => c.method));

    const activity = emitted.filter((e): e is ActivityEvent => e.type === "activity");
    for (const e of activity) expectLifecycleEvent(e);
    expect(activity.map((e) => [e.provider, e.calls, e.noActivity])).toEqual([
      ["gcp", 3, false],
      ["azure", 0, true],
      ["kubernetes", 0, false],
      ["gcp", 6, false],
    ]);
    expect(new Set(activity.map((e) => e.id)).size).toBe(4);
    expect(clockTasks.pending()).toBe(0);
  }, 60_000);

  it("rightsizes a workload that used 2 permissions of roles/storage.admin to roles/storage.objectViewer", async () => {
    const sc = (s = await GrantsScenario.start(new Date(Date.UTC(2026, 11, 1, 10))));
    seedActivity(sc.cloud);
    const made = await deployerWorks(sc.cloud);
    expect(made.map((c) => c.status)).toEqual([200, 200]);
    sc.clock.advance(MINUTE);
    const workload = policy().workloads.find((w) => w.name === "api-deploy")!;
    const now = sc.clock.now();
    const report = await rightsize(
      { readers: simActivityReaders(sc.cloud, sc.clock.now), catalogues: simRoleCatalogues(sc.cloud) },
      {
        subject: { kind: "workload", workload: "api-deploy" },
        windows: workloadWindows(
          workload,
          new Date(now.getTime() - 30 * 24 * 60 * MINUTE).toISOString(),
          now.toISOString(),
        ),
        roles: [{ provider: "gcp", role: DEPLOYER.role }],
      },
    );
    const [p] = report.proposals;
    expect(p!.used).toEqual(["storage.objects.get", "storage.objects.list"]);
    expect(p!.summary).toMatch(/^used 2 of \d+ permissions of roles\/storage\.admin/);
    expect(p!.change).toMatchObject({ kind: "role", role: "roles/storage.objectViewer" });
  }, 60_000);
});
