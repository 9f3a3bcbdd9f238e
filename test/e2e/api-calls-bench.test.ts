import { benchApiCallsPerReview } from "../../bench/api-calls-bench.js";

// A count, not a time: an installation has 5,000 requests an hour, so this bounds reviews per hour.
test("the bench's steady-state review event costs at most 5 GitHub API calls", async () => {
  expect(await benchApiCallsPerReview()).toBeLessThanOrEqual(5);
});
