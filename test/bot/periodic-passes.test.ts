import { BotMetrics } from "../../bot/bot-metrics.js";
import type { PeriodicLease } from "../../bot/periodic-lease.js";
import {
  leaseTiming,
  startPeriodicPasses,
  type PassName,
  type PeriodicPasses,
} from "../../bot/periodic-passes.js";

// Periodic passes behind a lease: only its holder runs them, taking it runs them all at once, and a
// lease that cannot be read does not stop them.

const until = async (cond: () => boolean, what: string) => {
  const end = Date.now() + 5000;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
};

describe("leaseTiming", () => {
  it.each([
    [[300_000, 300_000, 300_000], 30_000, 90],
    [[2000, 300, 0], 300, 1],
    [[0, 0, 0], 30_000, 90],
    [[10_000], 10_000, 30],
  ])("intervals %j: renew every %d ms, hold %d s", (intervals, renewEveryMs, durationSeconds) => {
    expect(leaseTiming(intervals)).toEqual({ renewEveryMs, durationSeconds });
  });
});

describe("startPeriodicPasses", () => {
  let scheduler: PeriodicPasses | undefined;
  afterEach(async () => {
    await scheduler?.stop();
    scheduler = undefined;
  });

  const setup = (lease: PeriodicLease | undefined, startupDelayMs = -1) => {
    const ran: PassName[] = [];
    const warnings: string[] = [];
    const metrics = new BotMetrics();
    const pass = (name: PassName) => ({ name, everyMs: 0, run: async () => void ran.push(name) });
    scheduler = startPeriodicPasses({
      passes: [pass("reconcile"), pass("sweep")],
      ...(lease ? { lease } : {}),
      renewEveryMs: 60_000,
      startupDelayMs,
      metrics,
      log: { info: () => undefined, warn: (m) => void warnings.push(m), error: () => undefined },
    });
    const count = async (series: string) => {
      const line = (await metrics.render()).split("\n").find((l) => l.startsWith(`${series} `));
      return line ? Number(line.split(" ")[1]) : 0;
    };
    return { ran, warnings, count, scheduler };
  };

  it("without a lease, every pass runs once soon after start, then on each tick", async () => {
    const { ran, scheduler } = setup(undefined, 0);
    await until(() => ran.length === 2, "the startup passes");
    expect(ran.sort()).toEqual(["reconcile", "sweep"]);
    await scheduler.tick("sweep");
    expect(ran.filter((p) => p === "sweep")).toHaveLength(2);
  });

  it("invariant: with a lease, a replica that does not hold it runs no pass", async () => {
    let asked = 0;
    const { ran, count, scheduler } = setup({ tryAcquire: async () => (asked++, false) });
    await scheduler.tick("reconcile");
    await scheduler.tick("sweep");
    expect(ran).toEqual([]);
    expect(asked).toBe(2); // at start (the first tick joins it), then for the second tick
    expect(await count('jitops_periodic_passes_total{pass="reconcile",outcome="not-holder"}')).toBe(1);
    expect(await count("jitops_lease_held")).toBe(0);
  });

  it("taking the lease runs every pass at once; holding it, each tick runs its own pass", async () => {
    let held = false;
    const { ran, count, scheduler } = setup({ tryAcquire: async () => held });
    await scheduler.tick("reconcile");
    expect(ran).toEqual([]);
    held = true; // the holder died and its lease lapsed
    await scheduler.tick("reconcile");
    await until(() => ran.length === 2, "the takeover passes");
    expect(ran.sort()).toEqual(["reconcile", "sweep"]);
    await scheduler.tick("sweep");
    expect(ran.sort()).toEqual(["reconcile", "sweep", "sweep"]);
    expect(await count("jitops_lease_held")).toBe(1);
  });

  it("ticks at the same moment share one lease request (two would conflict with each other)", async () => {
    let asked = 0;
    let release: (v: boolean) => void = () => undefined;
    const { scheduler } = setup({
      tryAcquire: () => {
        asked++;
        return new Promise<boolean>((r) => (release = r));
      },
    });
    const ticks = [scheduler.tick("reconcile"), scheduler.tick("sweep")];
    release(true);
    await Promise.all(ticks);
    expect(asked).toBe(1);
  });

  it("a lease that cannot be read does not stop the passes: running them everywhere is safe", async () => {
    const { ran, warnings, scheduler } = setup({
      tryAcquire: async () => {
        throw new Error("leases.coordination.k8s.io is forbidden");
      },
    });
    await scheduler.tick("sweep");
    expect(ran).toEqual(["sweep"]);
    expect(warnings).toContain(
      "jitops: could not read the periodic-pass lease (leases.coordination.k8s.io is forbidden); running the pass anyway",
    );
  });
});
