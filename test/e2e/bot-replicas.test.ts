import { spawn, type ChildProcess } from "node:child_process";
import { generateKeyPairSync } from "node:crypto";
import { createServer, request as httpRequest, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { build } from "esbuild";
import { ACCESS_REPO, DEMO_TEAMS, DEMO_USERS, exampleBase } from "../../cli/demo/grants-world.js";
import { createCloudSim, type CloudSim } from "@jitops/sim/cloud";
import { createGitHubSim, type GitHubSim } from "@jitops/sim/github";
import { accessRequestYaml } from "../fixtures/request-yaml.js";

// N replicas behave as one: three bot processes (the bundled entry point, production settings, a
// Lease) behind a round-robin proxy, periodic passes on all of them (sweeps every 300 ms; reconcile
// every 5 s, longer than a paced delivery takes to write its check run, since a periodic reconcile
// creates a missing check run on its second sighting), and one replica SIGKILLed while its first
// Kubernetes write is in flight. Afterwards GitHub and the cluster hold
// exactly what one replica would have left: one check run per head, no comment twice, one revert
// PR per request, each binding created once and deleted once.

const SECRET = "replicas-webhook-secret";
/** How long each grant lives once merged (the requests ask for 1h; GitHub's clock runs 1h minus this behind). */
const WINDOW_MS = 15_000;
const REPLICAS = 3;
const NAMES = ["alice-payments-1", "alice-payments-2"];
/** A Kubernetes-only entitlement (JITOPS_PROVIDERS=kubernetes), approved by one SRE, merged by a person. */
const POLICY = `apiVersion: jitops.dev/v1
kind: Policy
metadata:
  name: replicas
spec:
  entitlements:
    - name: payments-k8s-view
      description: View the payments namespace of the prod cluster
      grants:
        - kubernetes: {cluster: prod, namespace: payments, clusterRole: view}
      eligible: {teams: [acme/backend]}
      maxDuration: 4h
      approval:
        - {name: sre, count: 1, from: {teams: [acme/sre]}}
`;

/** What the replicas logged last, to tell why a wait ran out. */
let explain: () => string = () => "";

const until = async (cond: () => boolean | Promise<boolean>, what: string, ms = 45_000) => {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}\n${explain()}`);
    await new Promise((r) => setTimeout(r, 25));
  }
};

const listen = async (server: Server): Promise<string> => {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
};

const readAll = async (req: IncomingMessage): Promise<Buffer> => {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
};

interface Replica {
  child: ChildProcess;
  out: () => string;
  exited: Promise<number | null>;
  /** `http://127.0.0.1:port`, once it listens. */
  url?: string;
  dead: boolean;
}

describe("three bot replicas behind a round-robin proxy, one killed mid-grant", () => {
  const cache = join(process.cwd(), "node_modules", ".cache");
  let dir: string;
  let entry: string;
  let github: GitHubSim;
  let cloud: CloudSim;
  const servers: Server[] = [];
  const replicas: Replica[] = [];
  /** Which replica each delivery (by GUID) was forwarded to. */
  const routed = new Map<string, number>();
  let killed: number | undefined;

  explain = () =>
    [
      `deliveries: ${JSON.stringify(github?.deliveries().map((d) => [d.event, d.action, d.status, d.statusCode]))}`,
      ...replicas.map((r, i) => `replica ${i}${r.dead ? " (killed)" : ""}:\n${r.out().slice(-4000)}`),
    ].join("\n");

  beforeAll(async () => {
    mkdirSync(cache, { recursive: true });
    dir = mkdtempSync(join(cache, "jitops-replicas-test-"));
    entry = join(dir, "bot.mjs");
    // Bundled like scripts/build.mjs bundles dist/bot.js, under node_modules so its externals resolve.
    await build({
      entryPoints: ["bot/main.ts"],
      outfile: entry,
      bundle: true,
      format: "esm",
      platform: "node",
      target: "node20",
      logLevel: "error",
      banner: {
        js: "import { createRequire as __r } from 'node:module'; const require = __r(import.meta.url);",
      },
      external: [
        "@google-cloud/*",
        "google-gax",
        "google-auth-library",
        "@azure/*",
        "@kubernetes/client-node",
        "probot",
        "prom-client",
      ],
    });
  }, 60_000);

  afterAll(async () => {
    for (const r of replicas) r.child.kill("SIGKILL");
    await Promise.all(replicas.map((r) => r.exited));
    for (const s of servers) {
      s.closeAllConnections();
      await new Promise((r) => s.close(r));
    }
    await github?.stop();
    await cloud?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Replica i's Kubernetes API: sim/cloud's, through a tap that SIGKILLs the first replica to write a binding, then lets the write land. */
  const tap = (i: number, upstream: string): Server =>
    createServer((req, res) => {
      void (async () => {
        const body = await readAll(req);
        const write = req.method !== "GET" && (req.url ?? "").includes("/rbac.authorization.k8s.io/");
        if (write && killed === undefined) {
          killed = i;
          replicas[i]!.dead = true;
          replicas[i]!.child.kill("SIGKILL");
        }
        const up = new URL(req.url ?? "/", upstream);
        const fwd = httpRequest(
          up,
          { method: req.method, headers: { ...req.headers, host: up.host } },
          (answer) => {
            res.writeHead(answer.statusCode ?? 502, answer.headers);
            answer.pipe(res);
          },
        );
        fwd.on("error", () => res.destroy());
        fwd.end(body);
      })();
    });

  /** GitHub's webhook target: round-robin over the replicas, skipping one that does not answer (as a Service does). */
  const proxy = (): Server => {
    let next = 0;
    return createServer((req, res) => {
      void (async () => {
        const body = await readAll(req);
        for (let tries = 0; tries < REPLICAS; tries++) {
          const i = next++ % REPLICAS;
          const r = replicas[i]!;
          if (r.dead || !r.url) continue;
          try {
            const answer = await fetch(`${r.url}/api/github/webhooks`, {
              method: "POST",
              headers: Object.fromEntries(
                Object.entries(req.headers).filter(
                  ([k]) => k.startsWith("x-") || k === "content-type" || k === "user-agent",
                ),
              ) as Record<string, string>,
              body: new Uint8Array(body),
            });
            const text = await answer.text();
            routed.set(String(req.headers["x-github-delivery"]), i);
            res.writeHead(answer.status, { "content-type": "application/json" });
            res.end(text);
            return;
          } catch {
            // Connection refused: that pod is gone; the next one takes it.
          }
        }
        res.writeHead(502);
        res.end();
      })();
    });
  };

  const start = (i: number, kubeconfig: string, privateKey: string): Replica => {
    const child = spawn(process.execPath, [entry], {
      cwd: dir,
      env: {
        PATH: process.env.PATH ?? "",
        APP_ID: String(github.appInfo.id),
        PRIVATE_KEY: privateKey,
        WEBHOOK_SECRET: SECRET,
        GITHUB_API_URL: github.url,
        PORT: "0",
        HOST: "127.0.0.1",
        LOG_LEVEL: "info",
        RECONCILE_INTERVAL_MS: "5000",
        SWEEP_INTERVAL_MS: "300",
        DELIVERY_RECOVERY_INTERVAL_MS: "1000",
        SHUTDOWN_GRACE_MS: "5000",
        JITOPS_PROVIDERS: "kubernetes",
        KUBECONFIG: kubeconfig,
        JITOPS_LEASE_NAMESPACE: "jitops",
        JITOPS_LEASE_NAME: "jitops-periodic",
        POD_NAME: `jitops-${i}`,
      },
    });
    let out = "";
    child.stdout!.on("data", (c: Buffer) => (out += c.toString()));
    child.stderr!.on("data", (c: Buffer) => (out += c.toString()));
    return {
      child,
      out: () => out,
      exited: new Promise((resolve) => child.on("exit", (code) => resolve(code))),
      dead: false,
    };
  };

  /** Every pull request of the access repository (numbers are shared with issues). */
  const allPulls = () => {
    const out = [];
    for (let n = 1; n <= 50; n++) {
      try {
        out.push(github.getPullRequest(ACCESS_REPO, n));
      } catch {
        // an issue's number, or none yet
      }
    }
    return out;
  };

  /** Every live replica has finished every delivery it accepted. */
  const quiet = async () => {
    if (github.deliveries().some((d) => d.status === "queued")) return false;
    for (const r of replicas.filter((x) => !x.dead)) {
      const text = await (await fetch(`${r.url}/metrics`)).text();
      if (!/^jitops_webhook_queue_items 0$/m.test(text)) return false;
    }
    return true;
  };

  test("the check runs, comments, revert PRs and cloud writes are exactly those of one replica", async () => {
    // GitHub's clock runs behind: a 1h request merged now expires WINDOW_MS from now on the bots' clocks.
    github = createGitHubSim({ clock: () => new Date(Date.now() - 3600_000 + WINDOW_MS) });
    github.createOrg("acme", { id: 7890 });
    for (const [login, id] of Object.entries(DEMO_USERS)) github.createUser(login, { id });
    for (const [slug, members] of Object.entries(DEMO_TEAMS)) github.createTeam("acme", slug, members);
    await github.start();
    github.createRepo(ACCESS_REPO, {
      files: { ...exampleBase(), "policies/replicas.yaml": POLICY },
      author: "frank",
    });
    cloud = createCloudSim();
    const urls = await cloud.start();
    cloud.k8sAddNamespace("payments");

    const privateKey = generateKeyPairSync("rsa", { modulusLength: 2048 })
      .privateKey.export({ type: "pkcs1", format: "pem" })
      .toString();
    for (let i = 0; i < REPLICAS; i++) {
      const t = tap(i, urls.kubernetesUrl);
      servers.push(t);
      const server = await listen(t);
      const kubeconfig = join(dir, `kubeconfig-${i}`);
      // The context is named like the policy's cluster; the Lease uses the same (current) context.
      writeFileSync(
        kubeconfig,
        JSON.stringify({
          apiVersion: "v1",
          kind: "Config",
          clusters: [{ name: "prod", cluster: { server, "insecure-skip-tls-verify": true } }],
          users: [{ name: "jitops", user: { token: "sim-token" } }],
          contexts: [{ name: "prod", context: { cluster: "prod", user: "jitops" } }],
          "current-context": "prod",
        }),
      );
      replicas.push(start(i, kubeconfig, privateKey));
    }
    for (const r of replicas) {
      await until(() => /listening for webhooks at (http:\/\/\S+)\/api/.test(r.out()), "a replica to listen");
      r.url = /listening for webhooks at (http:\/\/\S+)\/api/.exec(r.out())![1];
      await until(() => r.out().includes("GitHub confirmed the App; ready"), "a replica to be ready");
    }
    const front = proxy();
    servers.push(front);
    github.setWebhookTarget({ url: await listen(front), secret: SECRET });

    const prs = NAMES.map((name) =>
      github.openPullRequest(ACCESS_REPO, {
        head: `alice/${name}`,
        author: "alice",
        title: `Access: ${name}`,
        files: {
          [`access/requests/${name}.yaml`]: accessRequestYaml(name, {
            entitlement: "payments-k8s-view",
            duration: "1h",
            justification: "Roll out the payments fix",
          }),
        },
      }),
    );
    const heads = prs.map((n) => github.getPullRequest(ACCESS_REPO, n).headSha);
    const conclusion = (i: number) =>
      github.getCheckRuns(ACCESS_REPO, heads[i]!).find((c) => c.name === "jitops/approval")?.conclusion;
    await until(() => heads.every((_, i) => conclusion(i) === "action_required"), "the pending checks");
    for (const n of prs) github.submitReview(ACCESS_REPO, n, { user: "bob", state: "APPROVED" });
    await until(() => heads.every((_, i) => conclusion(i) === "success"), "the approvals");

    // The first merge: the replica whose Kubernetes write comes first dies while it is in flight.
    github.mergePullRequest(ACCESS_REPO, prs[0]!, { by: "bob", sha: heads[0]!, method: "squash" });
    await until(() => killed !== undefined, "the first binding write");
    expect(await replicas[killed!]!.exited).toBeNull(); // killed by a signal, no exit code
    github.mergePullRequest(ACCESS_REPO, prs[1]!, { by: "bob", sha: heads[1]!, method: "squash" });

    const bindingOf = (name: string) => cloud.k8sBindings().filter((b) => b.metadata.name.includes(name));
    await until(() => NAMES.every((n) => bindingOf(n).length === 1), "both grants");
    // At expiry the lease holder's sweep removes them and reverts the request files.
    const reverts = () =>
      allPulls().filter((p) => p.user === github.appInfo.botLogin && p.title.startsWith("Expire "));
    await until(
      () =>
        NAMES.every((n) => bindingOf(n).length === 0) &&
        reverts().length === 2 &&
        reverts().every((p) => p.merged),
      "both grants swept and reverted",
    );
    // Quiet twice, a few passes apart: nothing a pass or a delivery still does is missed.
    await until(async () => {
      if (!(await quiet())) return false;
      const seen = github.deliveries().length;
      await new Promise((r) => setTimeout(r, 1000));
      return github.deliveries().length === seen && (await quiet());
    }, "the replicas to go quiet");

    // Deliveries were spread over the replicas.
    expect(new Set(routed.values()).size).toBe(REPLICAS);
    // One check run per head SHA of every pull request (request PRs and revert PRs).
    const pulls = allPulls();
    for (const p of pulls) {
      const runs = github.getCheckRuns(ACCESS_REPO, p.headSha).filter((c) => c.name === "jitops/approval");
      expect([
        p.number,
        runs.map((r) => `${r.conclusion} ${r.output.title} ${r.externalId} ${r.id}`),
      ]).toEqual([p.number, [expect.any(String)]]);
      // No comment twice.
      const bodies = github.listComments(ACCESS_REPO, p.number).map((c) => c.body);
      expect([p.number, bodies]).toEqual([p.number, [...new Set(bodies)]]);
    }
    // One revert PR per request, no issue.
    expect(
      reverts()
        .map((p) => p.title)
        .sort(),
    ).toEqual(NAMES.map((n) => expect.stringContaining(n)).sort());
    expect(github.listIssues(ACCESS_REPO)).toEqual([]);
    // Each binding created once and deleted once, whatever replica did it (a create names its
    // binding in the body, so the two creates are told apart by the bindings they left).
    const writes = cloud
      .callLog("kubernetes")
      .filter((c) => c.kind === "write" && c.operation.startsWith("rolebindings."))
      .map((c) => `${c.operation} ${c.resource} ${c.status}`);
    expect(writes.sort()).toEqual(
      [
        ...NAMES.map(() => "rolebindings.create payments/rolebindings/* 201"),
        ...NAMES.map((n) => `rolebindings.delete payments/rolebindings/jitops-${n}-0 200`),
      ].sort(),
    );
  }, 90_000);
});
