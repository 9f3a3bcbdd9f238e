import { auditSubscriber, createLifecycleBus, type Subscriber } from "../../app/lifecycle-bus.js";
import type { LifecycleEvent } from "../../core/events/lifecycle-event.js";

const event = (id: string): LifecycleEvent => ({
  schemaVersion: 1,
  id,
  type: "merged",
  time: "2026-12-01T10:00:00.000Z",
  repository: "acme/access",
  pr: 1,
  headSha: "a".repeat(40),
  requests: [{ name: "alice-db" }],
});

describe("the lifecycle bus", () => {
  it("hands each event to every subscriber in order, once per id", async () => {
    const lines: string[] = [];
    const seen: string[] = [];
    const bus = createLifecycleBus({ warn: () => {} }, [
      auditSubscriber((e) => void lines.push(JSON.stringify(e))),
    ]);
    bus.subscribe({ name: "notify", handle: (e) => void seen.push(e.id) });
    for (const id of ["1", "2", "1", "3"]) bus.emit(event(id));
    await bus.idle();
    expect(seen).toEqual(["1", "2", "3"]);
    expect(lines.map((l) => (JSON.parse(l) as LifecycleEvent).id)).toEqual(["1", "2", "3"]);
  });

  it("a failing or slow subscriber delays neither the emitter nor the others, and is reported", async () => {
    const warnings: string[] = [];
    let release!: () => void;
    const slow: Subscriber = { name: "slack", handle: () => new Promise<void>((r) => (release = r)) };
    const broken: Subscriber = {
      name: "teams",
      handle: () => {
        throw new Error("500 from the webhook");
      },
    };
    const got: string[] = [];
    const bus = createLifecycleBus({ warn: (m) => warnings.push(m) }, [
      slow,
      broken,
      { name: "audit", handle: (e) => void got.push(e.id) },
    ]);
    expect(() => bus.emit(event("1"))).not.toThrow();
    bus.emit(event("2"));
    await new Promise((r) => setImmediate(r));
    expect(got).toEqual(["1", "2"]);
    expect(warnings).toEqual([
      "teams could not handle merged 1: 500 from the webhook",
      "teams could not handle merged 2: 500 from the webhook",
    ]);
    release();
    await new Promise((r) => setImmediate(r));
    release();
    await bus.idle();
  });
});
