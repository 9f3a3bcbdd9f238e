import type { Server } from "node:http";
import { FaultPlan, type FaultSpec } from "./fault-plan.js";
import { closeServer, listenLoopback } from "./loopback-server.js";
import { PendingTimers } from "./pending-timers.js";

/** What a simulator's HTTP servers share with it: planned faults, the call log, pending delays. */
export interface SimServerDeps<Spec extends FaultSpec, Call> {
  faults: FaultPlan<Spec>;
  calls: Call[];
  /** Pending delayed answers, cancelled on stop. */
  timers: PendingTimers;
}

/**
 * What every embedded simulator does the same way: start and stop its loopback servers, keep the clock,
 * plan faults, log calls. A subclass opens its servers in `open` and adds its own state API.
 */
export abstract class LoopbackSim<Urls, Spec extends FaultSpec, Call extends { service: Spec["service"] }> {
  protected readonly clock: () => Date;
  protected readonly log: Call[] = [];
  private readonly faults = new FaultPlan<Spec>();
  private readonly timers = new PendingTimers();
  private servers: Server[] = [];
  private current: Urls | null = null;

  constructor(clock: (() => Date) | undefined) {
    this.clock = clock ?? (() => new Date());
  }

  /** Opens the servers (with `listen`) and says where they answer; `start` calls it once. */
  protected abstract open(): Promise<Urls>;

  /** What the servers need to plan faults, log calls and hold delayed answers. */
  protected get serverDeps(): SimServerDeps<Spec, Call> {
    return { faults: this.faults, calls: this.log, timers: this.timers };
  }

  /** Listens on 127.0.0.1 on a free port until `stop`; resolves to the port. */
  protected async listen(server: Server): Promise<number> {
    const port = await listenLoopback(server);
    this.servers.push(server);
    return port;
  }

  // ---- lifecycle ----

  /** Starts the loopback servers on free ports; resolves to their URLs (the same ones until `stop`). */
  async start(): Promise<Urls> {
    if (this.current) return this.current;
    this.current = await this.open();
    return this.current;
  }

  /** Cancels delayed answers and closes every server. */
  async stop(): Promise<void> {
    this.timers.cancelAll();
    const servers = this.servers;
    this.servers = [];
    this.current = null;
    await Promise.all(servers.map(closeServer));
  }

  /** The service URLs (after `start`). */
  get urls(): Urls {
    if (!this.current) throw new Error("sim: call start() first");
    return this.current;
  }

  /** The simulator's current time. */
  now(): Date {
    return this.clock();
  }

  // ---- faults and call log ----

  /** Plans failures or slowdowns for the next matching calls of one service. */
  failNext(spec: Spec): void {
    this.faults.add(spec);
  }

  /** Forgets planned faults. */
  clearFaults(): void {
    this.faults.clear();
  }

  /** Every call since the last reset (optionally of one service), oldest first. */
  callLog(service?: Call["service"]): Call[] {
    return this.log.filter((c) => !service || c.service === service).map((c) => ({ ...c }));
  }

  /** Forgets the call log. */
  resetCalls(): void {
    this.log.length = 0;
  }
}
