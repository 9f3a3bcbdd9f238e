import type { LifecycleEvent } from "../core/events/lifecycle-event.js";
import { LruCache } from "../core/lru-cache.js";

/** Something that reacts to lifecycle events: the audit stream, notifications, activity records. */
export interface Subscriber {
  name: string;
  handle(event: LifecycleEvent): void | Promise<void>;
}

/** Where the bus reports a subscriber that failed (the emitter never hears of it). */
export interface BusLog {
  warn(message: string): void;
}

/** Fans lifecycle events out to subscribers. */
export interface LifecycleBus {
  /** Hands an event to every subscriber; returns at once, and never throws. */
  emit(event: LifecycleEvent): void;
  subscribe(subscriber: Subscriber): void;
  /** Resolves once every event emitted so far has been handled (tests, graceful shutdown). */
  idle(): Promise<void>;
}

/**
 * The use cases emit; subscribers react, each in its own queue and in emission order. A failing or
 * slow subscriber (a chat service that is down) never delays or fails a decision, grant or revoke,
 * and never holds up the other subscribers. Events seen before (same id: a redelivery, a reconcile
 * pass repeating a decision) are handed to each subscriber once per instance.
 */
export function createLifecycleBus(log: BusLog, subscribers: Subscriber[] = []): LifecycleBus {
  const queues = new Map<Subscriber, Promise<void>>();
  const seen = new LruCache<true>({ entries: 10_000, bytes: 1024 * 1024 });
  const subscribe = (s: Subscriber) => queues.set(s, Promise.resolve());
  subscribers.forEach(subscribe);
  return {
    subscribe,
    emit(event) {
      for (const [s, queue] of queues) {
        const key = `${s.name}\u0000${event.id}`;
        if (seen.has(key)) continue;
        seen.set(key, true);
        queues.set(
          s,
          queue
            .then(() => s.handle(event))
            .catch((e: unknown) =>
              log.warn(`${s.name} could not handle ${event.type} ${event.id}: ${(e as Error).message}`),
            ),
        );
      }
    },
    async idle() {
      let before: Promise<void>[];
      do {
        before = [...queues.values()];
        await Promise.all(before);
      } while (before.some((p, i) => p !== [...queues.values()][i]));
    },
  };
}

/** The first subscriber: every event to the audit stream (one JSON line each, following `schemas/lifecycle-event.schema.json`). */
export function auditSubscriber(write: (event: LifecycleEvent) => void | Promise<void>): Subscriber {
  return { name: "audit", handle: (event) => write(event) };
}
