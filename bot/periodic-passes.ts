import type { BotMetrics } from "./bot-metrics.js";
import type { PeriodicLease } from "./periodic-lease.js";
import { SingleFlight } from "./single-flight.js";

/** The passes a bot runs on a schedule. */
export type PassName = "reconcile" | "sweep" | "recover-deliveries" | "certify";

/** One periodic pass: how often, and its work. */
export interface PeriodicPass {
  name: PassName;
  /** Interval in ms; no timer when 0 (the pass still runs at startup and on taking over the lease). */
  everyMs: number;
  run(): Promise<void>;
}

/** What the scheduler needs. */
export interface PeriodicOptions {
  passes: PeriodicPass[];
  /** With a lease, only the replica holding it runs passes; without one, every replica does (they are idempotent). */
  lease?: PeriodicLease;
  /** How often the lease is renewed (and tried by the others); its duration is three times this. */
  renewEveryMs: number;
  /** Delay before the startup run of every pass (without a lease; with one, taking it is the trigger). */
  startupDelayMs: number;
  metrics: BotMetrics;
  log: { info(m: string): void; warn(m: string): void; error(m: string): void };
}

/** Longest the lease is renewed apart: a dead holder is replaced within three of these. */
export const MAX_RENEW_MS = 30_000;

/** Renewal period and lease duration (whole seconds, as the Lease API takes it) for these pass intervals. */
export function leaseTiming(intervalsMs: number[]): { renewEveryMs: number; durationSeconds: number } {
  const shortest = Math.min(MAX_RENEW_MS, ...intervalsMs.filter((ms) => ms > 0));
  return { renewEveryMs: shortest, durationSeconds: Math.max(1, Math.ceil((3 * shortest) / 1000)) };
}

/** The running scheduler. */
export interface PeriodicPasses {
  /** Runs one pass now through the lease gate (a pass already running is joined, not doubled). */
  tick(name: PassName): Promise<void>;
  /** Stops the timers; resolves once the passes running now are done. */
  stop(): Promise<void>;
}

/**
 * Runs periodic passes on timers, one run of each at a time. Each tick asks the lease first (which
 * renews it for its holder); a replica that newly takes the lease, which includes the first replica
 * to start, runs every pass at once, so work a killed replica left half done converges without
 * waiting a whole interval. A lease that cannot be read does not stop the passes: running them on
 * every replica is safe, only dearer.
 */
export function startPeriodicPasses(o: PeriodicOptions): PeriodicPasses {
  const running = new SingleFlight<PassName>();
  const timers: NodeJS.Timeout[] = [];
  let stopped = false;
  let held = false;
  let asking: Promise<{ run: boolean; taken: boolean }> | undefined;

  // Concurrent ticks share one request: two at once from one replica would conflict with each other.
  const ask = (): Promise<{ run: boolean; taken: boolean }> =>
    (asking ??= (async () => {
      if (!o.lease) return { run: true, taken: false };
      try {
        const now = await o.lease.tryAcquire();
        o.metrics.leaseHeld.set(now ? 1 : 0);
        const taken = now && !held;
        held = now;
        if (taken && !stopped) {
          o.log.info("jitops: took the periodic-pass lease; running every pass now");
          for (const p of o.passes) void run(p);
        }
        return { run: now, taken };
      } catch (e) {
        o.log.warn(
          `jitops: could not read the periodic-pass lease (${(e as Error).message}); running the pass anyway`,
        );
        return { run: true, taken: false };
      }
    })().finally(() => (asking = undefined)));

  const run = (p: PeriodicPass): Promise<void> =>
    running.run(p.name, () =>
      p.run().then(
        () => void o.metrics.passes.inc({ pass: p.name, outcome: "succeeded" }),
        (e: Error) => {
          o.metrics.passes.inc({ pass: p.name, outcome: "failed" });
          o.log.error(`jitops ${p.name}: ${e.message}`);
        },
      ),
    );

  const tick = async (name: PassName): Promise<void> => {
    const p = o.passes.find((x) => x.name === name);
    if (!p || stopped) return;
    const asked = await ask();
    if (!asked.run) {
      o.metrics.passes.inc({ pass: name, outcome: "not-holder" });
      return;
    }
    // Taking the lease just started every pass, this one included.
    if (asked.taken) await running.current(name);
    else if (!stopped) await run(p);
  };

  for (const p of o.passes)
    if (p.everyMs > 0) timers.push(setInterval(() => void tick(p.name), p.everyMs).unref());
  if (o.lease) {
    timers.push(setInterval(() => void ask(), o.renewEveryMs).unref());
    void ask();
  } else if (o.startupDelayMs >= 0) {
    timers.push(
      setTimeout(() => {
        for (const p of o.passes) if (!stopped) void run(p);
      }, o.startupDelayMs).unref(),
    );
  }

  return {
    tick,
    stop: async () => {
      stopped = true;
      for (const t of timers) clearTimeout(t);
      await running.idle();
    },
  };
}
