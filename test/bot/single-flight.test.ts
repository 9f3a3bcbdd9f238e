import { settlesWithin } from "../../bot/settles-within.js";
import { SingleFlight } from "../../bot/single-flight.js";

describe("SingleFlight: one run per key at a time", () => {
  it("a call while a key's run is going joins it; another key, or a later call, starts its own", async () => {
    const flights = new SingleFlight<string>();
    let runs = 0;
    let finish = () => undefined as void;
    const work = () => {
      runs++;
      return new Promise<void>((resolve) => (finish = resolve));
    };
    const first = flights.run("sweep", work);
    expect(flights.run("sweep", work)).toBe(first);
    expect(flights.current("sweep")).toBe(first);
    expect(runs).toBe(1);
    finish();
    await flights.idle();
    expect(flights.current("sweep")).toBeUndefined();
    void flights.run("sweep", async () => void runs++);
    void flights.run("reconcile", async () => void runs++);
    await flights.idle();
    expect(runs).toBe(3);
  });
});

describe("settlesWithin", () => {
  it("true when the work resolves or rejects in time, false when the time runs out first", async () => {
    expect(await settlesWithin(Promise.resolve(), 1000)).toBe(true);
    expect(await settlesWithin(Promise.reject(new Error("no")), 1000)).toBe(true);
    expect(await settlesWithin(new Promise(() => undefined), 10)).toBe(false);
  });
});
