import { checkRunImpact, reportPolicyImpact } from "../../app/report-policy-impact.js";
import { decidePull } from "../../app/decide-pull.js";
import { GitHubInstance } from "../../github/github-instance.js";
import { CACHE_BOUNDS, LruCache } from "../../core/lru-cache.js";
import { ACCESS_REPO, exampleBase } from "../../cli/demo/grants-world.js";
import { headTree } from "../../core/impact/head-tree.js";
import { renderImpactMarkdown } from "../../core/impact/render-impact-markdown.js";
import { createClient } from "../../github/client.js";
import { githubImpactPorts } from "../../github/impact-history.js";
import { readBase } from "../../github/read-base.js";
import { readPull } from "../../github/read-pull.js";
import {
  HISTORY_NOW,
  HISTORY_SINCE,
  startHistoryWorld,
  type HistoryWorld,
} from "../fixtures/impact-history.js";

const r = { owner: "acme", repo: "access" };

describe("a policy-change pull request shows its impact (sim/github, adapter and core)", () => {
  let w: HistoryWorld;
  beforeAll(async () => {
    w = await startHistoryWorld();
  });
  afterAll(() => w.stop());

  it("prod-db-admin moves to the DB owners: carol's merged request becomes denied; nothing else changes", async () => {
    const production = exampleBase()["policies/production.yaml"]!;
    const changed = production.replace(
      "      eligible: {teams: [acme/sre]}\n      maxDuration: 2h",
      "      eligible: {teams: [acme/db-owners]}\n      maxDuration: 2h",
    );
    expect(changed).not.toBe(production);
    const n = w.sim.openPullRequest(ACCESS_REPO, {
      head: "frank/db-admin-to-dba",
      author: "frank",
      title: "prod-db-admin: DB owners only",
      files: { "policies/production.yaml": changed },
    });
    const gh = new GitHubInstance(() => HISTORY_NOW).session(
      createClient({ token: "ghs_e2e", baseUrl: w.url, retries: 0 }),
    );
    const pull = await readPull(gh, r, n);
    const base = await readBase(gh, r, pull.baseSha);
    const ports = githubImpactPorts(gh, r, {
      since: HISTORY_SINCE,
      now: () => HISTORY_NOW,
      baseRef: "main",
      exclude: [n],
    });
    const report = await reportPolicyImpact(ports, base, headTree(base, pull.snapshot));

    expect(report).toMatchObject({ replayed: 3, merged: 2, open: 1, changed: 1, decisionChanged: 1 });
    expect(report.requests).toEqual([
      expect.objectContaining({
        pr: w.prs.carol,
        state: "merged",
        author: "carol",
        entitlement: "prod-db-admin",
        before: { decision: "approved", summary: "approved: sre 1/1, owners 2/1" },
        after: { decision: "denied", summary: "denied" },
        kinds: ["newly-denied", "eligibility-removed"],
      }),
    ]);
    expect(report.headline).toBe(
      `1 of 3 requests replayed would fare differently (1 become denied, 1 lose their requester's eligibility); #${w.prs.carol} becomes denied: carol is no longer eligible for prod-db-admin (eligible: @acme/sre → @acme/db-owners)`,
    );
    expect(report.workloads).toEqual([]);
    const md = renderImpactMarkdown(report);
    expect(md).toContain("Replayed 3 requests: 2 merged since 2026-06-03, 1 in open pull requests.");
    expect(md).toContain(
      `| #${w.prs.carol} carol-prod-db-admin (merged) | prod-db-admin | carol | approved: sre 1/1, owners 2/1 | denied |`,
    );
  });

  it("the bot's decision of a policy change ends its check run with the impact, computed once per head", async () => {
    const production = exampleBase()["policies/production.yaml"]!;
    const n = w.sim.openPullRequest(ACCESS_REPO, {
      head: "frank/db-admin-to-dba-2",
      author: "frank",
      title: "prod-db-admin: DB owners only",
      files: {
        "policies/production.yaml": production.replace(
          "      eligible: {teams: [acme/sre]}\n      maxDuration: 2h",
          "      eligible: {teams: [acme/db-owners]}\n      maxDuration: 2h",
        ),
      },
    });
    const instance = new GitHubInstance(() => HISTORY_NOW, "https://example.com");
    const s = instance.session(createClient({ token: "ghs_e2e", baseUrl: w.url, retries: 0 }));
    const repo = instance.repo(s, r);
    let replays = 0;
    const impact = checkRunImpact(
      new LruCache<string>(CACHE_BOUNDS.impact),
      (history) => githubImpactPorts(s, r, history),
      () => HISTORY_NOW,
    );
    const deps = {
      audit: { write: () => undefined },
      clock: () => HISTORY_NOW,
      memory: instance.memory,
      log: { info: () => undefined, warn: () => undefined },
      impact: (input: Parameters<typeof impact>[0]) => (replays++, impact(input)),
    };
    w.sim.resetApiCalls();
    const first = await decidePull(deps, repo, n);
    const listed = () => w.sim.apiCallLog().filter((c) => c.route === "/repos/{owner}/{repo}/pulls");
    expect(listed().length).toBeGreaterThan(0);
    expect(first.decision?.policy).toBeDefined();
    const head = w.sim.getPullRequest(ACCESS_REPO, n).headSha;
    const summary = () =>
      w.sim.getCheckRuns(ACCESS_REPO, head).find((c) => c.name === "jitops/approval")!.output.summary;
    expect(summary()).toContain("### Impact of this policy change");
    expect(summary()).toContain("carol is no longer eligible for prod-db-admin");
    w.sim.submitReview(ACCESS_REPO, n, { user: "grace", state: "APPROVED" });
    w.sim.resetApiCalls();
    await decidePull(deps, repo, n);
    expect(replays).toBe(2);
    // The review reused the report: no pull request history was listed again.
    expect(listed()).toEqual([]);
    expect(summary()).toContain("### Impact of this policy change");
  });
});
