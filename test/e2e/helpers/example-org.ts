import { generateKeyPairSync } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { AuditEvent } from "../../../core/audit.js";
import { createBotServer, type BotServer } from "../../../bot/server.js";
import { createGitHubSim, type GitHubSim, type SimCheckRun } from "../../../sim/github/index.js";

/** The webhook secret the simulator signs with and the bot verifies. */
export const SECRET = "e2e-webhook-secret";
/** The sim's and the bot's clock. */
export const NOW = new Date("2026-11-24T10:00:00Z");

const ROOT = fileURLToPath(new URL("../../../", import.meta.url));

/** People of the example organisation, with the numeric ids of the policy test cases. */
export const USERS: Record<string, number> = {
  alice: 101,
  bob: 102,
  carol: 103,
  dave: 104,
  erin: 105,
  frank: 106,
  grace: 107,
  heidi: 108,
};

/** Teams of the example organisation (renovate[bot] sits in acme/sre: a bot never counts, even there). */
export const TEAMS: Record<string, string[]> = {
  backend: ["alice"],
  sre: ["bob", "carol", "renovate[bot]"],
  "db-owners": ["dave"],
  security: ["frank", "grace", "heidi"],
  platform: ["erin"],
  "platform-leads": ["bob", "frank"],
  engineering: ["alice", "bob", "carol", "dave", "erin"],
};

/** The example organisation's policies/ and CODEOWNERS, read from this repository. */
export function exampleBaseFiles(): Record<string, string> {
  const files: Record<string, string> = { CODEOWNERS: readFileSync(`${ROOT}CODEOWNERS`, "utf8") };
  for (const f of readdirSync(`${ROOT}policies`).filter((n) => n.endsWith(".yaml")))
    files[`policies/${f}`] = readFileSync(`${ROOT}policies/${f}`, "utf8");
  return files;
}

/** A request file's text. */
export function requestYaml(name: string, entitlement: string, spec: Record<string, string> = {}): string {
  const lines = Object.entries(spec).map(([k, v]) => `  ${k}: ${JSON.stringify(v)}`);
  return [
    "apiVersion: jitops.dev/v1",
    "kind: AccessRequest",
    "metadata:",
    `  name: ${name}`,
    "spec:",
    `  entitlement: ${entitlement}`,
    ...lines,
    "",
  ].join("\n");
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
  for (const [login, id] of Object.entries(USERS)) sim.createUser(login, { id });
  sim.createUser("renovate[bot]", { id: 2740, type: "Bot" });
  for (const [slug, members] of Object.entries(TEAMS)) sim.createTeam("acme", slug, members);
  const { url } = await sim.start();
  const audit: AuditEvent[] = [];
  const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const bot = await createBotServer({
    appId: sim.appInfo.id,
    privateKey: privateKey.export({ type: "pkcs1", format: "pem" }).toString(),
    secret: SECRET,
    baseUrl: url,
    port: 0,
    retryBaseMs: 1,
    throttle: false,
    logLevel: "fatal",
    now: () => NOW,
    audit: { write: (e) => void audit.push(e) },
  });
  sim.setWebhookTarget({ url: bot.webhookUrl, secret: SECRET });
  const base = exampleBaseFiles();
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
