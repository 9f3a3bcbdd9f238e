import { REPO, startSeededSim } from "./helpers/seed.js";

// GitHub's conditional requests: an ETag on every successful GET, 304 for a matching If-None-Match,
// and a 304 does not count against the primary rate limit.
describe("sim/github conditional requests", () => {
  test("a matching If-None-Match is answered 304, not counted; a change gives a new ETag", async () => {
    const { sim, octokit } = await startSeededSim();
    try {
      const n = sim.openPullRequest(REPO, {
        head: "h",
        author: "alice",
        title: "t",
        files: { "f.txt": "f\n" },
      });
      const route = "GET /repos/{owner}/{repo}/pulls/{pull_number}/reviews" as const;
      const params = { owner: "acme", repo: "access", pull_number: n };
      sim.resetApiCalls();
      const first = await octokit.request(route, params);
      const etag = first.headers.etag!;
      expect(etag).toMatch(/^W\/"[0-9a-f]{40}"$/);
      const before = Number(first.headers["x-ratelimit-remaining"]);

      const again = await octokit
        .request(route, { ...params, headers: { "if-none-match": etag } })
        .catch((e: { status: number }) => e);
      expect(again.status).toBe(304);
      expect(sim.apiCalls()).toBe(2);
      expect(sim.countedApiCalls()).toBe(1);

      sim.submitReview(REPO, n, { user: "bob", state: "APPROVED" });
      const changed = await octokit.request(route, { ...params, headers: { "if-none-match": etag } });
      expect(changed.status).toBe(200);
      expect(changed.headers.etag).not.toBe(etag);
      expect(Number(changed.headers["x-ratelimit-remaining"])).toBe(before - 1);
    } finally {
      await sim.stop();
    }
  });
});
