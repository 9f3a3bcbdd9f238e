import type { BotServer } from "../../../bot/server.js";
import { DEMO_TEAMS, DEMO_USERS, exampleBase } from "../../../cli/demo/grants-world.js";
import { startSimBot } from "../../../cli/demo/start-sim-bot.js";
import type { AuditEvent } from "../../../core/audit.js";
import { createGitHubSim, type GitHubSim, type SimCheckRun } from "@jitops/sim/github";
import { accessRequestYaml } from "../../fixtures/request-yaml.js";

/** The webhook secret the simulator signs with and the bot verifies. */
export const SECRET = "e2e-webhook-secret";
/** The sim's and the bot's clock. */
export const NOW = new Date("2026-11-24T10:00:00Z");

/** Teams of the example organisation, but renovate[bot] sits in acme/sre: a bot never counts, even there. */
export const TEAMS: Record<string, string[]> = {
  ...DEMO_TEAMS,
  sre: [...(DEMO_TEAMS.sre ?? []), "renovate[bot]"],
};

/** A request file's text (spec values quoted). */
export function requestYaml(name: string, entitlement: string, spec: Record<string, string> = {}): string {
  const quoted = Object.fromEntries(Object.entries(spec).map(([k, v]) => [k, JSON.stringify(v)]));
  return accessRequestYaml(name, { entitlement, ...quoted });
}

/** carol's prod-db-admin request: one SRE and one code owner; bob (an SRE, so a code owner too) can approve both. */
export const CAROL_DB_ADMIN = requestYaml("carol-prod-db-admin", "prod-db-admin", {
  duration: "1h",
  justification: "Resize the primary",
  ticket: "CHG-42",
});

/** alice's prod-db-reader request (one SRE approval needed, then auto-merged). */
export const ALICE_PROD_DB = requestYaml("alice-prod-db", "prod-db-reader", {
  duration: "4h",
  justification: "Investigate replication lag",
  ticket: "INC-1234",
});

/** alice's staging-viewer request (approval: none, autoMerge: true). */
export const ALICE_STAGING = requestYaml("alice-staging", "staging-viewer", { duration: "1d" });

/** The simulator seeded with the example organisation, the real bot listening to it, and what the bot audited. */
export interface World {
  sim: GitHubSim;
  bot: BotServer;
  audit: AuditEvent[];
  /** Creates `acme/<name>` whose default branch holds the example policies and CODEOWNERS. */
  repo(name: string): string;
  /** Opens a PR by `author` adding `access/requests/<file>.yaml`; returns its number and head SHA. */
  openRequest(repo: string, file: string, content: string, author?: string): { n: number; head: string };
  /** The `jitops/approval` check runs on `sha`. */
  checks(repo: string, sha: string): SimCheckRun[];
  stop(): Promise<void>;
}

/** Starts the simulator and the jitops bot (Probot on a loopback HTTP server) wired to each other. */
export async function startWorld(): Promise<World> {
  const sim = createGitHubSim({ clock: () => NOW });
  sim.createOrg("acme", { id: 7890 });
  for (const [login, id] of Object.entries(DEMO_USERS)) sim.createUser(login, { id });
  sim.createUser("renovate[bot]", { id: 2740, type: "Bot" });
  for (const [slug, members] of Object.entries(TEAMS)) sim.createTeam("acme", slug, members);
  await sim.start();
  const audit: AuditEvent[] = [];
  const bot = await startSimBot(sim, {
    secret: SECRET,
    retryBaseMs: 1,
    logLevel: "fatal",
    now: () => NOW,
    audit: { write: (e) => void audit.push(e) },
  });
  const base = exampleBase();
  const branches = new Map<string, number>();
  return {
    sim,
    bot,
    audit,
    repo: (name) => {
      sim.createRepo(`acme/${name}`, { files: { ...base, "access/requests/.keep": "" } });
      return `acme/${name}`;
    },
    openRequest: (repo, file, content, author = "alice") => {
      const i = (branches.get(repo) ?? 0) + 1;
      branches.set(repo, i);
      const n = sim.openPullRequest(repo, {
        head: `request-${i}`,
        author,
        title: `Access: ${file}`,
        files: { [`access/requests/${file}.yaml`]: content },
      });
      return { n, head: sim.getPullRequest(repo, n).headSha };
    },
    checks: (repo, sha) => sim.getCheckRuns(repo, sha).filter((c) => c.name === "jitops/approval"),
    stop: async () => {
      await sim.stop();
      await bot.close();
    },
  };
}
