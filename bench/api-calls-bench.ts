import type { BotServer } from "../bot/server.js";
import { startSimBot } from "../cli/demo/start-sim-bot.js";
import type { GitHubSim } from "@jitops/sim/github";
import { BENCH_REPO, benchSim } from "./bench-world.js";
import { round } from "./measure.js";
import { requestFiles } from "./validate-bench.js";

const SECRET = "bench-webhook-secret";

/** GitHub's primary rate limit of an installation, per hour. */
export const INSTALLATION_REQUESTS_PER_HOUR = 5000;

/** The bench simulator, and a bot answering its webhooks. */
async function world(): Promise<{ sim: GitHubSim; bot: BotServer }> {
  const sim = await benchSim();
  const bot = await startSimBot(sim, { secret: SECRET, logLevel: "fatal", queueLimit: 10_000 });
  return { sim, bot };
}

/**
 * GitHub API calls counted against the rate limit (304s are not) that the bot spends on one review
 * event in steady state (after the PR's first event): the real Probot app over HTTP against the
 * simulator, counted by the simulator.
 */
export async function benchApiCallsPerReview(): Promise<number> {
  const { sim, bot } = await world();
  try {
    const file = requestFiles(1)[0]!;
    const n = sim.openPullRequest(BENCH_REPO, {
      head: "request",
      author: "alice",
      title: "Access",
      files: { [file.path]: file.content },
    });
    await sim.awaitDeliveries();
    sim.resetApiCalls();
    sim.submitReview(BENCH_REPO, n, { user: "bob", state: "APPROVED" });
    await sim.awaitDeliveries();
    const calls = sim.countedApiCalls();
    const head = sim.getPullRequest(BENCH_REPO, n).headSha;
    const check = sim.getCheckRuns(BENCH_REPO, head).find((c) => c.name === "jitops/approval");
    if (check?.conclusion !== "success")
      throw new Error(
        `bench: expected the review to approve ${head}, the check says ${check?.conclusion}: ${check?.output.summary}`,
      );
    return calls;
  } finally {
    await sim.stop();
    await bot.close();
  }
}

/** What a reconcile pass over unchanged open pull requests costs, and how many fit in the budget. */
export interface ReconcileBudget {
  open_prs: number;
  /** Counted calls of a whole pass (installations, repositories, pages of open PRs, per-PR reads and writes). */
  counted_calls_per_pass: number;
  reconcile_counted_calls_per_unchanged_pr: number;
  /** Open PRs one pass every 5 minutes can re-decide within 5,000 counted calls an hour. */
  open_prs_reconcilable_per_5min: number;
}

/**
 * Opens `prs` pull requests, lets the bot decide them, warms one reconcile pass (every answer is
 * kept with its ETag), then counts the second pass. A full page of the open-PR list (100) is never
 * answered from the cache, so with nothing changed a pass costs a call per full page and the PRs
 * themselves cost none: the budget then bounds pages, not PRs.
 */
export async function benchReconcileBudget(prs: number): Promise<ReconcileBudget> {
  const { sim, bot } = await world();
  try {
    for (const f of requestFiles(prs))
      sim.openPullRequest(BENCH_REPO, {
        head: f.path,
        author: "alice",
        title: f.path,
        files: { [f.path]: f.content },
      });
    await sim.awaitDeliveries();
    await bot.reconcileAll();
    sim.resetApiCalls();
    await bot.reconcileAll();
    const counted = sim.countedApiCalls();
    // What the pass spends per repository and installation (discovery, pages of the open-PR list) is not the PRs'.
    const perRepo = new Set([
      "/app/installations",
      "/installation/repositories",
      "/repos/{owner}/{repo}/pulls",
    ]);
    const perPr = sim.apiCallLog().filter((c) => c.status !== 304 && !perRepo.has(c.route)).length;
    const perPass = (INSTALLATION_REQUESTS_PER_HOUR * 5) / 60;
    return {
      open_prs: prs,
      counted_calls_per_pass: counted,
      reconcile_counted_calls_per_unchanged_pr: round(perPr / prs, 3),
      open_prs_reconcilable_per_5min:
        counted === 0 ? Number.MAX_SAFE_INTEGER : Math.floor((perPass * prs) / counted),
    };
  } finally {
    await sim.stop();
    await bot.close();
  }
}
