import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { runTrust } from "../../cli/commands/trust.js";
import { jobClaims, startWorkloadWorld, type WorkloadWorld } from "../../cli/demo/workload-world.js";
import { captureOutput } from "../fixtures/capture-output.js";

const run = promisify(execFile);

/** Reads a runner command file (GITHUB_OUTPUT, GITHUB_STATE, GITHUB_ENV): `name<<delimiter` blocks. */
function commandFile(path: string): Record<string, string> {
  const out: Record<string, string> = {};
  const lines = readFileSync(path, "utf8").split("\n");
  for (let i = 0; i < lines.length; i++) {
    const m = /^([^<]+)<<(.+)$/.exec(lines[i]!);
    if (!m) continue;
    const value: string[] = [];
    while (lines[++i] !== m[2]) value.push(lines[i]!);
    out[m[1]!] = value.join("\n");
  }
  return out;
}

// The bundled action (dist/), run as the runner runs it: a separate node process with the runner's
// environment, its command files and its OIDC endpoint (the embedded one).
describe("the bundled action, mode credentials", () => {
  let world: WorkloadWorld;
  let dir: string;

  beforeAll(async () => {
    world = await startWorkloadWorld(() => new Date());
    await runTrust({ apply: true, root: world.root }, captureOutput(), {}, world.trust);
    world.sim.setJob({ claims: jobClaims(), subjectForm: "immutable" });
    dir = mkdtempSync(join(tmpdir(), "jitops-runner-"));
  });
  afterAll(async () => {
    await world.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("invariant: logs of a full run (main and post) contain no token, and post leaves no file behind", async () => {
    const files = {
      GITHUB_OUTPUT: "output",
      GITHUB_STATE: "state",
      GITHUB_ENV: "env",
      GITHUB_STEP_SUMMARY: "summary",
    };
    const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, RUNNER_TEMP: dir, ...world.env };
    for (const [k, f] of Object.entries(files)) {
      writeFileSync(join(dir, f), "");
      env[k] = join(dir, f);
    }
    Object.assign(env, {
      INPUT_MODE: "credentials",
      INPUT_WORKLOAD: "api-deploy",
      INPUT_PROVIDER: "gcp",
      INPUT_PATH: world.root,
      INPUT_POLICY: "policies",
    });
    const main = await run(process.execPath, ["dist/action-main.js"], { env });
    const outputs = commandFile(env.GITHUB_OUTPUT!);
    const token = outputs.access_token!;
    expect(token).toBeTruthy();
    const credentials = outputs.credentials_file_path!;
    expect(existsSync(credentials)).toBe(true);
    expect(commandFile(env.GITHUB_ENV!).GOOGLE_APPLICATION_CREDENTIALS).toBe(credentials);

    // The token is registered for masking, and appears nowhere else in the log.
    const log = `${main.stdout}\n${main.stderr}`;
    expect(log).toContain(`::add-mask::${token}`);
    const unmasked = log.split("\n").filter((l) => !l.startsWith("::add-mask::"));
    expect(unmasked.filter((l) => l.includes(token))).toEqual([]);
    expect(world.sim.gcpIssuedTokens().length).toBeGreaterThan(0);
    expect(unmasked.filter((l) => /eyJ[\w-]+\.[\w-]+\.[\w-]+/.test(l))).toEqual([]); // no JWT at all
    expect(unmasked.some((l) => l.startsWith("jitops audit") && l.includes('"outcome":"issued"'))).toBe(true);

    // The post step gets main's state as STATE_* variables, as the runner passes it.
    const state = commandFile(env.GITHUB_STATE!);
    const postEnv: NodeJS.ProcessEnv = { PATH: process.env.PATH };
    for (const [k, v] of Object.entries(state)) postEnv[`STATE_${k}`] = v;
    const post = await run(process.execPath, ["dist/action-post.js"], { env: postEnv });
    expect(existsSync(credentials)).toBe(false);
    expect(`${post.stdout}${post.stderr}`).not.toContain(token);
  });
});
