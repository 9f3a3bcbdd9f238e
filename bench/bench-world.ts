import { createGitHubSim, type GitHubSim } from "@jitops/sim/github";
import { POLICY } from "./validate-bench.js";

/** The benches' time: every bench makes the same commits at the same instant. */
export const BENCH_NOW = new Date("2026-11-24T10:00:00Z");

/** The benches' access repository. Each bench starts its own simulator, and each bot has its own caches. */
export const BENCH_REPO = "acme/access";

const PEOPLE = `apiVersion: jitops.dev/v1
kind: Policy
metadata:
  name: people
spec:
  principals:
    alice: {gcp: "user:alice@acme.example"}
`;

/**
 * A started GitHub simulator (rate limit out of the way) holding the bench repository: the bench
 * policy, alice in acme/backend who asks, bob in acme/sre who approves.
 */
export async function benchSim(): Promise<GitHubSim> {
  const sim = createGitHubSim({ clock: () => BENCH_NOW, rateLimit: 1_000_000 });
  sim.createOrg("acme");
  sim.createUser("alice", { id: 101 });
  sim.createUser("bob", { id: 102 });
  sim.createTeam("acme", "backend", ["alice"]);
  sim.createTeam("acme", "sre", ["bob"]);
  sim.createRepo(BENCH_REPO, {
    files: { "policies/bench.yaml": POLICY, "policies/people.yaml": PEOPLE, CODEOWNERS: "* @acme/sre\n" },
  });
  await sim.start();
  return sim;
}
