import { Octokit } from "@octokit/rest";
import { ConditionalCache, conditionalRequests } from "../../github/conditional-requests.js";
import type { GitHubSim } from "@jitops/sim/github";
import { REPO, quietLog, startSeededSim } from "../sim/github/helpers/seed.js";

// Repeated reads of unchanged data are answered 304 Not Modified, which GitHub does not count.

const CachingOctokit = Octokit.plugin(conditionalRequests);
const params = { owner: "acme", repo: "access" };

describe("conditionalRequests (ETag / If-None-Match) against sim/github", () => {
  let sim: GitHubSim;
  let url: string;
  let pr: number;
  beforeEach(async () => {
    ({ sim } = await startSeededSim());
    url = (await sim.start()).url;
    pr = sim.openPullRequest(REPO, { head: "h", author: "alice", title: "t", files: { "f.txt": "f\n" } });
  });
  afterEach(() => sim.stop());

  const client = (cache: ConditionalCache, auth = "ghs_one") =>
    new CachingOctokit({ baseUrl: url, auth, log: quietLog, conditionalCache: cache } as never);

  it("answers an unchanged read from the kept response, without a counted call", async () => {
    const cache = new ConditionalCache();
    const gh = client(cache);
    const first = await gh.request("GET /repos/{owner}/{repo}/pulls/{pull_number}", {
      ...params,
      pull_number: pr,
    });
    sim.resetApiCalls();
    const again = await gh.request("GET /repos/{owner}/{repo}/pulls/{pull_number}", {
      ...params,
      pull_number: pr,
    });
    expect(again.data).toEqual(first.data);
    expect(sim.apiCallLog().map((c) => c.status)).toEqual([304]);
    expect(sim.countedApiCalls()).toBe(0);
    expect(cache.stats).toEqual({ fetched: 1, notModified: 1 });
  });

  it("reads again when the data changed; a full page is never answered from the cache", async () => {
    const cache = new ConditionalCache();
    const gh = client(cache);
    const reviews = (perPage: number) =>
      gh.paginate("GET /repos/{owner}/{repo}/pulls/{pull_number}/reviews", {
        ...params,
        pull_number: pr,
        per_page: perPage,
      });
    sim.submitReview(REPO, pr, { user: "bob", state: "COMMENTED" });
    sim.submitReview(REPO, pr, { user: "carol", state: "COMMENTED" });
    expect(await reviews(100)).toHaveLength(2);
    sim.resetApiCalls();
    expect(await reviews(100)).toHaveLength(2);
    expect(sim.countedApiCalls()).toBe(0);
    sim.submitReview(REPO, pr, { user: "bob", state: "APPROVED" });
    expect((await reviews(100)).map((r) => r.state)).toEqual(["COMMENTED", "COMMENTED", "APPROVED"]);

    // Two full pages of one: the list growing onto a third page must be seen.
    expect(await reviews(1)).toHaveLength(3);
    sim.submitReview(REPO, pr, { user: "carol", state: "APPROVED" });
    expect(await reviews(1)).toHaveLength(4);
  });

  it("never shares a kept response between identities (tokens or installations)", async () => {
    const cache = new ConditionalCache();
    await client(cache, "ghs_one").request("GET /repos/{owner}/{repo}", params);
    sim.resetApiCalls();
    await client(cache, "ghs_two").request("GET /repos/{owner}/{repo}", params);
    expect(sim.apiCallLog().map((c) => c.status)).toEqual([200]);
  });

  it("does nothing without a cache, and never for writes", async () => {
    const gh = new CachingOctokit({ baseUrl: url, auth: "ghs_one", log: quietLog });
    await gh.request("GET /repos/{owner}/{repo}", params);
    await gh.request("GET /repos/{owner}/{repo}", params);
    expect(
      sim
        .apiCallLog()
        .slice(-2)
        .map((c) => c.status),
    ).toEqual([200, 200]);
  });
});
