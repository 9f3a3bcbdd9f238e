import { benchLoad } from "../../bench/load-bench.js";

// A tiny run: the output's shape and counts, never its times (benchmarks are not tests).
test("the load bench reports the events that do not change the decision apart, and they write no check run", async () => {
  const [f] = await benchLoad({ rates: [10], seconds: 1, prs: 10, throttle: false, drainSeconds: 30 });
  expect(Object.keys(f!).sort()).toEqual(
    [
      "rate",
      "events",
      "sent_per_s",
      "p50_ms",
      "p99_ms",
      "no_change_events",
      "no_change_p50_ms",
      "no_change_p99_ms",
      "no_change_undecided",
      "check_writes_skipped",
      "errors",
      "undecided",
      "lost",
      "drained",
    ].sort(),
  );
  expect(f).toMatchObject({ rate: 10, events: 10, no_change_events: 5, errors: 0, lost: 0, drained: true });
  expect(f!.undecided).toBe(0);
  expect(f!.no_change_undecided).toBe(0);
  // Each comment goes to a PR the bot decided before: its decision finds the check run unchanged.
  expect(f!.check_writes_skipped).toBe(5);
  for (const p of [f!.p50_ms, f!.p99_ms, f!.no_change_p50_ms, f!.no_change_p99_ms])
    expect(typeof p).toBe("number");
});
