import { execFile, spawn, type ChildProcess } from "node:child_process";
import { generateKeyPairSync } from "node:crypto";
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, posix, relative } from "node:path";
import { promisify } from "node:util";
import { createGitHubSim, type GitHubSim } from "@jitops/sim/github";
import { installOnce } from "./install-once.js";
import { copyArgs, envPairs, parseDockerfile, type Stage } from "./parse-dockerfile.js";

// The image's runtime stage without a Docker daemon: copy exactly what its COPY lines copy into a
// clean folder, install as its RUN line does, and start its CMD with its ENV, as the App of the
// embedded GitHub. The build stage's output is the committed dist/ (CI fails when it is stale).

const run = promisify(execFile);
const REPO = process.cwd();
const stages = parseDockerfile(readFileSync(join(REPO, "Dockerfile"), "utf8"));
const runtime = stages.at(-1)!;
const all = (s: Stage, keyword: string) => s.instructions.filter((i) => i.keyword === keyword);
const one = (s: Stage, keyword: string) => {
  const found = all(s, keyword);
  if (found.length !== 1)
    throw new Error(`expected one ${keyword} in stage ${s.name}, found ${found.length}`);
  return found[0]!.args;
};
/** An exec-form instruction (`["node", "x.js"]`), after any `--flag=value` options. */
const execForm = (args: string): string[] => JSON.parse(args.replace(/^(--\S+\s+)*(CMD\s+)?/, ""));

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Every file under `dir` with its size and modification time: what the running bot must not change. */
function snapshot(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else {
        const s = statSync(p);
        out.push(`${relative(dir, p)} ${s.size} ${s.mtimeMs}`);
      }
    }
  };
  walk(dir);
  return out.sort();
}

describe("the container image's runtime stage", () => {
  let work: string;
  let sim: GitHubSim;
  let bot: ChildProcess | undefined;

  beforeAll(() => {
    work = mkdtempSync(join(tmpdir(), "jitops-image-"));
    sim = createGitHubSim();
  });
  afterAll(async () => {
    if (bot && bot.exitCode === null) {
      const exited = new Promise((resolve) => bot!.once("exit", resolve));
      bot.kill("SIGTERM");
      await exited;
    }
    await sim.stop();
    rmSync(work, { recursive: true, force: true });
  });

  it("runs on Node 24 as a non-root user, and installs only production dependencies", () => {
    expect(runtime.from).toMatch(/^node:24\.\d+\.\d+-bookworm-slim$/);
    expect(stages.length).toBeGreaterThan(1);
    expect(one(runtime, "USER")).toBe("node");
    // The reproduction below runs these RUN lines and nothing else: a new one must be added there too.
    expect(all(runtime, "RUN").map((r) => r.args)).toEqual([
      "npm ci --omit=dev --workspaces=false --ignore-scripts --no-audit --no-fund && npm cache clean --force",
    ]);
    expect(one(runtime, "HEALTHCHECK")).toContain("/healthz");
    expect(execForm(one(runtime, "CMD"))).toEqual(["node", "dist/bot.js"]);
  });

  it("builds with every workspace's manifest installed, so the demo's bundle finds the simulators", () => {
    const build = stages.find((s) => s.name === "build")!;
    const install = build.instructions.findIndex((i) => i.keyword === "RUN" && i.args.startsWith("npm ci"));
    const copied = build.instructions
      .slice(0, install)
      .filter((i) => i.keyword === "COPY")
      .flatMap((i) => copyArgs(i.args).sources);
    const { workspaces } = JSON.parse(readFileSync(join(REPO, "package.json"), "utf8")) as {
      workspaces: string[];
    };
    expect(workspaces.length).toBeGreaterThan(0);
    for (const w of workspaces) expect(copied).toContain(`${w}/package.json`);
  });

  it("starts the bot from exactly what the stage copies, answers /healthz and /readyz, and writes nothing in its folder", async () => {
    const workdir = one(runtime, "WORKDIR");
    const app = join(work, "app");
    mkdirSync(app);
    for (const c of all(runtime, "COPY").map((i) => copyArgs(i.args))) {
      for (const src of c.sources) {
        let from = src;
        if (c.from) {
          // The build stage builds dist/ from this checkout's sources: the same bytes as the committed dist/.
          const build = stages.find((s) => s.name === c.from);
          if (!build) throw new Error(`COPY --from=${c.from}: no such stage`);
          const root = one(build, "WORKDIR");
          if (!src.startsWith(`${root}/`)) throw new Error(`COPY --from=${c.from} ${src}: outside ${root}`);
          from = posix.relative(root, src);
        }
        const to = join(
          app,
          posix.relative(workdir, posix.resolve(workdir, c.dest)),
          c.dest.endsWith("/") ? posix.basename(from) : "",
        );
        cpSync(join(REPO, from), to, { recursive: true });
      }
    }
    expect(readdirSync(app).sort()).toEqual(["dist", "package-lock.json", "package.json"]);

    // The RUN line's install, with the warm npm cache; its `npm cache clean` would empty the shared one.
    const install = all(runtime, "RUN")[0]!.args.split("&&")[0]!.trim().split(/\s+/).slice(1);
    await installOnce(app, install);
    expect(readdirSync(join(app, "node_modules"))).not.toContain("jest");
    const before = snapshot(app);

    const { url } = await sim.start();
    const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    const port = await freePort();
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      // A home that does not exist: the bot must need nothing there.
      HOME: join(work, "no-home"),
      ...Object.assign({}, ...all(runtime, "ENV").map((e) => envPairs(e.args))),
      APP_ID: String(sim.appInfo.id),
      PRIVATE_KEY: privateKey.export({ type: "pkcs1", format: "pem" }).toString(),
      WEBHOOK_SECRET: "image-test-secret",
      GITHUB_API_URL: url,
      HOST: "127.0.0.1",
      PORT: String(port),
    };
    const [, ...args] = execForm(one(runtime, "CMD"));
    bot = spawn(process.execPath, args, { cwd: app, env, stdio: ["ignore", "pipe", "pipe"] });
    let log = "";
    bot.stdout!.on("data", (d) => (log += d));
    bot.stderr!.on("data", (d) => (log += d));

    const poll = async (path: string) => {
      const deadline = Date.now() + 20_000;
      let last = "no answer";
      while (Date.now() < deadline) {
        if (bot!.exitCode !== null) throw new Error(`the bot exited (${bot!.exitCode}):\n${log}`);
        try {
          const res = await fetch(`http://127.0.0.1:${port}${path}`);
          last = `${res.status} ${await res.text()}`;
          if (res.status === 200) return last;
        } catch (e) {
          last = (e as Error).message;
        }
        await new Promise((r) => setTimeout(r, 200));
      }
      throw new Error(`${path} never answered 200 (last: ${last}); log:\n${log}`);
    };
    await poll("/healthz");
    // The image's own HEALTHCHECK command agrees.
    const [, ...check] = execForm(one(runtime, "HEALTHCHECK"));
    await expect(run(process.execPath, check, { env: { PORT: String(port) } })).resolves.toBeDefined();
    // Ready once GitHub confirmed the App: the production dependencies sign its JWT.
    expect(await poll("/readyz")).toMatch(/"ready":\s*true/);
    expect(snapshot(app)).toEqual(before);
  }, 240_000);
});
