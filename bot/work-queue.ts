/** One unit of queued work: a delivery's handling. */
export interface WorkItem {
  /** Items with the same key run one at a time, in the order they were offered. */
  key: string;
  /** The delivery id: an id already queued is refused as a duplicate. */
  id: string;
  /** Bytes the item holds (its payload), counted against the queue's byte bound. */
  bytes: number;
  /** The work; its failures are its own to report (the queue only moves on). */
  run(): Promise<void>;
  /** What kind of work it is (e.g. "decide"), so running work can see what waits behind it. */
  tag?: string;
}

/** Bounds of the queue. */
export interface WorkQueueLimits {
  /** Keys (pull requests) worked on at the same time. */
  concurrency: number;
  /** Items waiting or running, in all. */
  maxItems: number;
  /** Payload bytes waiting or running, in all. */
  maxBytes: number;
  /** Items waiting or running for one key: one busy pull request cannot fill the queue. */
  maxPerKey: number;
}

/** Why an item was not queued. */
export type OfferRefusal = "full" | "key-full" | "duplicate" | "closed";

/**
 * A bounded in-memory queue: work for one key is serialized in order, different keys run
 * concurrently up to a limit, and each item starts on a later turn of the event loop than the one
 * that offered it, so the HTTP answer of a delivery never waits for any work.
 */
export class WorkQueue {
  private readonly waiting = new Map<string, WorkItem[]>();
  private readonly ready: string[] = [];
  private readonly active = new Set<string>();
  private readonly ids = new Set<string>();
  private bytes = 0;
  private items = 0;
  private closed = false;
  private idleWaiters: (() => void)[] = [];

  constructor(private readonly limits: WorkQueueLimits) {}

  /** Queues an item, or says why not. */
  offer(item: WorkItem): { ok: true } | { ok: false; reason: OfferRefusal } {
    if (this.closed) return { ok: false, reason: "closed" };
    if (this.ids.has(item.id)) return { ok: false, reason: "duplicate" };
    if (this.items >= this.limits.maxItems || this.bytes + item.bytes > this.limits.maxBytes)
      return { ok: false, reason: "full" };
    const list = this.waiting.get(item.key) ?? [];
    if (list.length + (this.active.has(item.key) ? 1 : 0) >= this.limits.maxPerKey)
      return { ok: false, reason: "key-full" };
    list.push(item);
    this.waiting.set(item.key, list);
    this.ids.add(item.id);
    this.items += 1;
    this.bytes += item.bytes;
    if (!this.active.has(item.key) && list.length === 1) this.ready.push(item.key);
    this.pump();
    return { ok: true };
  }

  /** Whether a delivery id is waiting or running. */
  has(id: string): boolean {
    return this.ids.has(id);
  }

  /** The tag of the next item waiting (not running) for a key, if any. */
  nextTag(key: string): string | undefined {
    return this.waiting.get(key)?.[0]?.tag;
  }

  /** Items and bytes waiting or running, and keys running. */
  depth(): { items: number; bytes: number; running: number } {
    return { items: this.items, bytes: this.bytes, running: this.active.size };
  }

  /** Refuses new items from now on; what is queued still runs. */
  close(): void {
    this.closed = true;
  }

  /** Resolves once nothing waits or runs. */
  idle(): Promise<void> {
    if (this.items === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private pump(): void {
    while (this.active.size < this.limits.concurrency && this.ready.length > 0) {
      const key = this.ready.shift()!;
      const item = this.waiting.get(key)!.shift()!;
      this.active.add(key);
      // A later turn: the caller answers its HTTP request before any work begins.
      setImmediate(() => void this.runItem(item));
    }
  }

  private async runItem(item: WorkItem): Promise<void> {
    try {
      await item.run();
    } catch {
      // The item reports its own failures; the queue must keep draining.
    }
    this.active.delete(item.key);
    this.ids.delete(item.id);
    this.items -= 1;
    this.bytes -= item.bytes;
    const rest = this.waiting.get(item.key);
    // Back of the line: a pull request with many deliveries takes turns with the others.
    if (rest && rest.length > 0) this.ready.push(item.key);
    else this.waiting.delete(item.key);
    this.pump();
    if (this.items === 0) {
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      for (const w of waiters) w();
    }
  }
}
