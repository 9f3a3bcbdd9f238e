import { Octokit } from "@octokit/rest";
import { ACCESS_REPO } from "../../cli/demo/grants-world.js";
import { createClient } from "../../github/client.js";
import { ConditionalCache, conditionalRequests } from "../../github/conditional-requests.js";
import type { GitHubClient } from "../../github/client.js";
import { GitHubCaches, gitHubSession } from "../../github/github-caches.js";
import { readImpactHistory } from "../../github/impact-history.js";
import {
  HISTORY_NOW,
  HISTORY_SINCE,
  startHistoryWorld,
  type HistoryWorld,
} from "../fixtures/impact-history.js";

const r = { owner: "acme", repo: "access" };
const quiet = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };

/** A fresh instance's session of a client (its own caches). */
const session = (gh: GitHubClient) => gitHubSession(gh, new GitHubCaches());

describe("readImpactHistory against sim/github", () => {
  let w: HistoryWorld;
  beforeAll(async () => {
    w = await startHistoryWorld();
  });
  afterAll(() => w.stop());
  const gh = () => session(createClient({ token: "ghs_impact", baseUrl: w.url, retries: 0 }));
  const read = (bounds = {}, now = () => HISTORY_NOW) =>
    readImpactHistory(gh(), r, { since: HISTORY_SINCE, now, baseRef: "main", bounds });

  it("lists the request pull requests merged in the window (newest first), then the open ones", async () => {
    const h = await read();
    expect(h.requests.map((x) => [x.pr, x.state])).toEqual([
      [w.prs.alice, "merged"],
      [w.prs.carol, "merged"],
      [w.prs.open, "open"],
    ]);
    expect(h.coverage).toEqual({ since: HISTORY_SINCE.toISOString(), reviews: true, openPulls: true });
  });

  it("reads each request as it was merged: files at the merge commit, decided at the merge time, reviews up to then", async () => {
    const h = await read();
    const alice = h.requests.find((x) => x.pr === w.prs.alice)!;
    const pull = w.sim.getPullRequest(ACCESS_REPO, w.prs.alice);
    expect(alice.at).toBe("2026-08-20T14:10:00.000Z");
    expect(alice.commit).toBe(pull.mergeCommitSha);
    expect(alice.snapshot.files.map((f) => [f.path, f.status])).toEqual([
      ["access/requests/alice-prod-db.yaml", "added"],
    ]);
    expect(alice.snapshot.files[0]!.content).toBe(
      w.sim.readFile(ACCESS_REPO, pull.mergeCommitSha!, "access/requests/alice-prod-db.yaml"),
    );
    expect(alice.snapshot.reviews.map((x) => [x.user, x.state, x.commit])).toEqual([
      ["bob", "APPROVED", pull.headSha],
    ]);
    expect(alice.snapshot).toMatchObject({ author: "alice", authorId: 101, head: pull.headSha });
    expect(alice.snapshot.commits.map((c) => c.author)).toEqual(["alice"]);
  });

  it("judges open requests now", async () => {
    const h = await read();
    expect(h.requests.find((x) => x.pr === w.prs.open)!.at).toBe(HISTORY_NOW.toISOString());
  });

  it("names every author and reviewer met, with ids, for the directory", async () => {
    const h = await read();
    expect(h.users.map((u) => [u.login, u.id]).sort()).toEqual([
      ["alice", 101],
      ["bob", 102],
      ["carol", 103],
      ["dave", 104],
      ["erin", 105],
    ]);
  });

  it("leaves out the pull request being decided (the policy change itself)", async () => {
    const h = await readImpactHistory(gh(), r, {
      since: HISTORY_SINCE,
      now: () => HISTORY_NOW,
      exclude: [w.prs.open],
    });
    expect(h.requests.map((x) => x.pr)).not.toContain(w.prs.open);
  });

  it("stops at the request bound and says so: partial, with the count", async () => {
    const h = await read({ maxRequests: 1 });
    expect(h.requests.map((x) => x.pr)).toEqual([w.prs.alice]);
    expect(h.coverage.partial).toEqual({
      reason: "requests",
      message: "replayed the 1 most recent request pull requests of 4 candidates",
    });
  });

  it("stops at the time bound, by the caller's clock", async () => {
    let t = HISTORY_NOW.getTime();
    const clock = () => new Date((t += 6_000));
    // 6 s a look: the README change (not a request), alice's request, then the bound.
    const h = await read({ maxMs: 15_000 }, clock);
    expect(h.requests.map((x) => x.pr)).toEqual([w.prs.alice]);
    expect(h.coverage.partial).toMatchObject({ reason: "time" });
    expect(h.coverage.partial!.message).toBe("stopped after 15s, having looked at 2 of 4 pull requests");
  });

  it("reads through the conditional-requests plugin: a second pass over unchanged pull requests is mostly 304s", async () => {
    const cache = new ConditionalCache();
    const CachingOctokit = Octokit.plugin(conditionalRequests);
    const client = new CachingOctokit({
      baseUrl: w.url,
      auth: "ghs_cached",
      log: quiet,
      conditionalCache: cache,
    } as never);
    // Two runs (fresh instances): only GitHub's conditional answers can spare the second its reads.
    await readImpactHistory(session(client), r, { since: HISTORY_SINCE, now: () => HISTORY_NOW });
    w.sim.resetApiCalls();
    const again = await readImpactHistory(session(client), r, {
      since: HISTORY_SINCE,
      now: () => HISTORY_NOW,
    });
    expect(again.requests).toHaveLength(3);
    const statuses = w.sim.apiCallLog().map((c) => c.status);
    expect(statuses.filter((s) => s === 304).length).toBeGreaterThan(statuses.length / 2);
    expect(cache.stats.notModified).toBeGreaterThan(0);
  });
});

describe("readImpactHistory: the page bound", () => {
  let w: HistoryWorld;
  beforeAll(async () => {
    w = await startHistoryWorld();
    // 100 more closed pull requests, all updated in the window: one page holds no end to the list.
    for (let i = 0; i < 100; i++) {
      const n = w.sim.openPullRequest(ACCESS_REPO, {
        head: `x/${i}`,
        author: "erin",
        title: "x",
        files: { [`x/${i}.txt`]: "x\n" },
      });
      w.sim.closePullRequest(ACCESS_REPO, n, "erin");
    }
  });
  afterAll(() => w.stop());

  it("lists at most maxPages pages of closed pull requests and says the replay is partial", async () => {
    const gh = createClient({ token: "ghs_pages", baseUrl: w.url, retries: 0 });
    const h = await readImpactHistory(session(gh), r, {
      since: HISTORY_SINCE,
      now: () => HISTORY_NOW,
      bounds: { maxPages: 1 },
    });
    expect(h.coverage.partial).toEqual({
      reason: "pages",
      message: "listed the 100 most recently updated closed pull requests only",
    });
    expect(h.requests.map((x) => x.state)).toEqual(["open"]);
  });
});
