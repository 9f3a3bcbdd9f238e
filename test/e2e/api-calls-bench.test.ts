import { benchApiCallsPerReview, benchReconcileBudget } from "../../bench/api-calls-bench.js";

// Counts, not times: an installation has 5,000 requests an hour, so these bound reviews and
// reconcile passes per hour.
test("the bench's steady-state review event costs at most 2 counted GitHub API calls", async () => {
  expect(await benchApiCallsPerReview()).toBeLessThanOrEqual(2);
});

test("the bench's reconcile pass over unchanged open pull requests costs no counted call per PR", async () => {
  const budget = await benchReconcileBudget(20);
  expect(budget.reconcile_counted_calls_per_unchanged_pr).toBe(0);
  expect(budget.counted_calls_per_pass).toBe(0);
});
