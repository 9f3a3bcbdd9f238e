import { startSimBot } from "../cli/demo/start-sim-bot.js";
import { createGitHubSim } from "../sim/github/index.js";
import { POLICY, requestFiles } from "./validate-bench.js";

const REPO = "acme/access";
const SECRET = "bench-webhook-secret";
const PEOPLE = `apiVersion: jitops.dev/v1
kind: Policy
metadata:
  name: people
spec:
  principals:
    alice: {gcp: "user:alice@acme.example"}
`;

/**
 * GitHub API calls the bot spends on one review event in steady state (after the PR's first
 * event): the real Probot app over HTTP against the simulator, counted by the simulator.
 */
export async function benchApiCallsPerReview(): Promise<number> {
  const sim = createGitHubSim({ clock: () => new Date("2026-11-24T10:00:00Z") });
  sim.createOrg("acme");
  sim.createUser("alice", { id: 101 });
  sim.createUser("bob", { id: 102 });
  sim.createTeam("acme", "backend", ["alice"]);
  sim.createTeam("acme", "sre", ["bob"]);
  sim.createRepo(REPO, {
    files: { "policies/bench.yaml": POLICY, "policies/people.yaml": PEOPLE, CODEOWNERS: "* @acme/sre\n" },
  });
  await sim.start();
  const bot = await startSimBot(sim, { secret: SECRET, logLevel: "fatal" });
  try {
    const file = requestFiles(1)[0]!;
    const n = sim.openPullRequest(REPO, {
      head: "request",
      author: "alice",
      title: "Access",
      files: { [file.path]: file.content },
    });
    await sim.awaitDeliveries();
    sim.resetApiCalls();
    sim.submitReview(REPO, n, { user: "bob", state: "APPROVED" });
    await sim.awaitDeliveries();
    const calls = sim.apiCalls();
    const head = sim.getPullRequest(REPO, n).headSha;
    const check = sim.getCheckRuns(REPO, head).find((c) => c.name === "jitops/approval");
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
