import { reportPolicyImpact } from "../../app/report-policy-impact.js";
import type { Clock } from "../../core/clock.js";
import { headTree } from "../../core/impact/head-tree.js";
import { CHECK_NAME } from "../../core/render-check.js";
import { IMPACT_HEADING, renderImpactMarkdown } from "../../core/impact/render-impact-markdown.js";
import { createClient } from "../../github/client.js";
import { GitHubCaches, gitHubSession } from "../../github/github-caches.js";
import { githubImpactPorts } from "../../github/impact-history.js";
import { readBase } from "../../github/read-base.js";
import { readPull } from "../../github/read-pull.js";
import { ACCESS_REPO, type GrantsWorld } from "./grants-world.js";

/** The SRE rule of prod-db-reader, the first entitlement of the example production policy. */
const ONE_SRE = "- {name: sre, count: 1, from: {teams: [acme/sre]}}";

/**
 * frank opens a policy change making prod-db-reader need two SRE approvals; the impact report read
 * from the embedded GitHub (adapter and core, as the bot's check run will show it) must name
 * alice's merged request `requestPr`, approved by one SRE, as one that would now need more.
 */
export async function policyImpactStep(
  w: GrantsWorld,
  now: Clock,
  requestPr: number,
  step: (name: string, ok: boolean, detail: string) => void,
): Promise<void> {
  const gh = w.github;
  const production = gh.readFile(ACCESS_REPO, gh.branchSha(ACCESS_REPO), "policies/production.yaml") ?? "";
  const n = gh.openPullRequest(ACCESS_REPO, {
    head: "frank/prod-db-reader-two-sres",
    author: "frank",
    title: "prod-db-reader: two SRE approvals",
    files: {
      "policies/production.yaml": production.replace(ONE_SRE, ONE_SRE.replace("count: 1", "count: 2")),
    },
  });
  await gh.awaitDeliveries();
  const [owner, repo] = ACCESS_REPO.split("/") as [string, string];
  const r = { owner, repo };
  const client = gitHubSession(
    createClient({ token: "jitops-demo", baseUrl: gh.url, retries: 0 }),
    new GitHubCaches(now),
  );
  const pull = await readPull(client, r, n);
  const base = await readBase(client, r, pull.baseSha);
  const since = new Date(now().getTime() - 90 * 86_400_000);
  const report = await reportPolicyImpact(
    githubImpactPorts(client, r, { since, now, exclude: [n] }),
    base,
    headTree(base, pull.snapshot),
  );
  // The bot's own check run on the change carries the same report.
  const shown = gh
    .getCheckRuns(ACCESS_REPO, gh.getPullRequest(ACCESS_REPO, n).headSha)
    .find((c) => c.name === CHECK_NAME)
    ?.output.summary?.includes(`### ${IMPACT_HEADING}`);
  // Left open, the change would be decided again by later steps: close it, as its author would.
  gh.closePullRequest(ACCESS_REPO, n, "frank");
  await gh.awaitDeliveries();

  const merged = gh.getPullRequest(ACCESS_REPO, requestPr);
  const alice = report.requests.find((x) => x.pr === requestPr);
  step(
    "policy-impact-shown",
    merged.merged &&
      report.replayed === 1 &&
      report.changed === 1 &&
      alice?.before.decision === "approved" &&
      alice.after.decision === "pending" &&
      alice.kinds.includes("needs-more-approvals") &&
      renderImpactMarkdown(report).startsWith(`### ${IMPACT_HEADING}`) &&
      shown === true,
    `frank's policy change #${n} (prod-db-reader: two SRE approvals), replayed on the merged requests and shown in its ${CHECK_NAME} check run: ${report.headline}`,
  );
}
