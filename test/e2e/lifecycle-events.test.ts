import type { LifecycleEvent } from "../../core/events/lifecycle-event.js";
import { expectLifecycleEvent } from "../core/events/lifecycle-schema.js";
import { GrantsScenario } from "./helpers/grants-scenario.js";

// The whole life of a request as the bot's lifecycle bus sees it (real bot and providers on the
// simulators): every event follows schemas/lifecycle-event.schema.json, in lifecycle order.

const MINUTE = 60_000;

describe("lifecycle events of a request, from the running bot", () => {
  let s: GrantsScenario | undefined;
  afterEach(async () => {
    await s?.close();
    s = undefined;
  });

  it("opened, approval needed, approved, merged, granted, expiring, expired", async () => {
    const sc = (s = await GrantsScenario.start(new Date(Date.UTC(2026, 11, 20, 10))));
    const events: LifecycleEvent[] = [];
    sc.w.bot.events.subscribe({ name: "test", handle: (e) => void events.push(e) });
    await sc.request("alice-events", "alice", { duration: "2h" });
    await sc.w.bot.idle();
    const notAfter = sc.window("alice-events").notAfter.getTime();

    sc.clock.advance(notAfter - sc.clock.now().getTime() - 40 * MINUTE);
    await sc.sweep();
    await sc.w.bot.idle();
    expect(events.filter((e) => e.type === "expiring")).toEqual([]);

    sc.clock.advance(20 * MINUTE);
    await sc.sweep();
    await sc.sweep();
    await sc.w.bot.idle();
    // One notice per binding, however many sweeps see it (the event id is per binding and end).
    const expiring = events.filter((e) => e.type === "expiring");
    expect(expiring.length).toBeGreaterThan(0);
    expect(new Set(expiring.map((e) => e.id)).size).toBe(expiring.length);

    sc.clock.advance(21 * MINUTE);
    await sc.sweep();
    await sc.w.bot.idle();

    for (const e of events) expectLifecycleEvent(e);
    // The example organisation notifies too: those events interleave; the request's own come in order.
    const order = [...new Set(events.map((e) => e.type).filter((t) => !t.startsWith("notification-")))];
    expect(order.slice(0, 5)).toEqual(["request-opened", "approval-needed", "approved", "merged", "granted"]);
    expect(order).toEqual(expect.arrayContaining(["expiring", "expired"]));
    expect(order.indexOf("expiring")).toBeLessThan(order.indexOf("expired"));
    expect(events.find((e) => e.type === "request-opened")).toMatchObject({
      requests: [{ name: "alice-events", entitlement: "prod-db-reader", requester: "alice" }],
    });
  });
});
