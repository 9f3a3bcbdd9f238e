import { execFileSync } from "node:child_process";
import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { runCli } from "../../cli/program.js";
import { captureOutput } from "../fixtures/capture-output.js";
import { NOW, POLICY_YAML, REQUEST_YAML } from "../fixtures/policy.js";
import { tempRepo } from "../fixtures/temp-repo.js";

const BAD = REQUEST_YAML.replace("duration: 4h", "duration: 9h");

async function run(files: Record<string, string>, ...args: string[]) {
  const repo = tempRepo(files);
  const o = captureOutput();
  try {
    const code = await runCli(["node", "jitops", ...args, "-C", repo.root], {
      env: {},
      output: o,
      now: () => NOW,
    });
    return { code, out: o.stdout.join("\n"), err: o.stderr.join("\n") };
  } finally {
    repo.remove();
  }
}

const tree = (request: string) => ({
  "policies/test.yaml": POLICY_YAML,
  "access/requests/alice-prod-db.yaml": request,
});

describe("jitops validate", () => {
  it("exits 0 and says so when every file is valid", async () => {
    const r = await run(tree(REQUEST_YAML), "validate");
    expect(r).toMatchObject({ code: 0, out: "2 files valid" });
  });

  it("prints path:line:col code: message and exits 1 on an invalid request", async () => {
    const r = await run(tree(BAD), "validate");
    expect(r.code).toBe(1);
    expect(r.out.split("\n")[0]).toBe(
      "access/requests/alice-prod-db.yaml:7:13 duration.exceeds-max: duration 9h exceeds the maxDuration 8h of entitlement prod-db-reader",
    );
    expect(r.out).not.toContain("\u001b[");
  });

  it("prints the JSON contract with --json, policy files included", async () => {
    const r = await run(tree(BAD), "validate", "--json");
    expect(r.code).toBe(1);
    expect(JSON.parse(r.out)).toEqual({
      ok: false,
      results: [
        { path: "policies/test.yaml", ok: true, errors: [] },
        {
          path: "access/requests/alice-prod-db.yaml",
          ok: false,
          errors: [
            { line: 7, column: 13, code: "duration.exceeds-max", message: expect.stringContaining("9h") },
          ],
        },
      ],
    });
  });

  it("checks only the files given, and always the policies", async () => {
    const files = {
      ...tree(BAD),
      "access/requests/other.yaml": REQUEST_YAML.replace("alice-prod-db", "other"),
    };
    const r = await run(files, "validate", "--json", "access/requests/other.yaml");
    expect(JSON.parse(r.out).results.map((x: { path: string }) => x.path)).toEqual([
      "policies/test.yaml",
      "access/requests/other.yaml",
    ]);
    expect(r.code).toBe(0);
  });

  it("fails with 1 when the policy is invalid, pointing into the policy file", async () => {
    const r = await run(
      { ...tree(REQUEST_YAML), "policies/test.yaml": POLICY_YAML.replace("roles/browser", "roles/owner") },
      "validate",
    );
    expect(r.code).toBe(1);
    expect(r.out).toContain("policies/test.yaml:22:56 gcp.basic-role: role roles/owner is a basic role");
  });

  it("reports a missing file by name as a finding (file.missing), exit 1, and still checks the rest", async () => {
    const r = await run(
      tree(REQUEST_YAML),
      "validate",
      "access/requests/nope.yaml",
      "access/requests/alice-prod-db.yaml",
    );
    expect(r.code).toBe(1);
    expect(r.out.split("\n")).toEqual([
      "access/requests/nope.yaml:1:1 file.missing: access/requests/nope.yaml: no such file",
      "1 error in 1 of 3 files",
    ]);
  });

  it("exits 2 on an unknown option or command", async () => {
    expect((await run({}, "validate", "--frobnicate")).code).toBe(2);
    expect((await run({}, "frobnicate")).code).toBe(2);
  });

  it("prints help with exit 0", async () => {
    const o = captureOutput();
    expect(await runCli(["node", "jitops", "validate", "--help"], { env: {}, output: o })).toBe(0);
    expect(o.stdout.join("\n")).toContain(
      [
        "Exit status:",
        "  0  every file checked is valid",
        "  1  findings: a file is invalid, missing, or not a file",
        "  2  usage or configuration error: a bad option or argument, no policies/ folder found",
        "  3  runtime failure: GitHub, a cloud, the network or the file system failed",
      ].join("\n"),
    );
  });

  it("colours codes only when the output is a terminal", async () => {
    const repo = tempRepo(tree(BAD));
    const o = captureOutput(true);
    await runCli(["node", "jitops", "validate", "-C", repo.root], { env: {}, output: o, now: () => NOW });
    repo.remove();
    expect(o.stdout[0]).toContain("\u001b[31mduration.exceeds-max\u001b[0m");
  });
});

describe("jitops validate: a request already on the default branch is not failed for a start that has passed", () => {
  const git = (cwd: string, ...args: string[]) =>
    execFileSync("git", ["-c", "user.name=t", "-c", "user.email=t@example.com", ...args], {
      cwd,
      encoding: "utf8",
    }).trim();
  const started = (name: string) =>
    `${REQUEST_YAML.replace("alice-prod-db", name)}  start: 2026-11-23T09:00:00Z\n`;

  it("judges merged requests as merged, and new or changed ones against now", async () => {
    const repo = tempRepo({
      "policies/test.yaml": POLICY_YAML,
      "access/requests/alice-old.yaml": started("alice-old"),
    });
    try {
      git(repo.root, "init", "-q", "-b", "main");
      git(repo.root, "add", "-A");
      git(repo.root, "commit", "-q", "-m", "merged");
      const validate = async (...args: string[]) => {
        const o = captureOutput();
        const code = await runCli(["node", "jitops", "validate", ...args], {
          env: {},
          output: o,
          now: () => NOW,
          cwd: repo.root,
        });
        return { code, out: o.stdout.join("\n") };
      };
      expect(await validate()).toEqual({ code: 0, out: "2 files valid" });

      // A new request on a topic branch with a start in the past is judged like any PR would be.
      git(repo.root, "checkout", "-q", "-b", "topic");
      writeFileSync(join(repo.root, "access/requests/alice-new.yaml"), started("alice-new"));
      const fresh = await validate();
      expect(fresh.code).toBe(1);
      expect(fresh.out.split("\n")[0]).toBe(
        "access/requests/alice-new.yaml:10:10 start.invalid: start 2026-11-23T09:00:00Z is not in the future (now is 2026-11-24T10:00:00.000Z); omit start to begin at merge",
      );
      expect(fresh.out).not.toContain("alice-old");

      // Committing it on the topic branch does not make it merged: main is the reference.
      git(repo.root, "add", "-A");
      git(repo.root, "commit", "-q", "-m", "new");
      expect((await validate()).code).toBe(1);
      // Unless the default branch is named otherwise.
      expect((await validate("--default-branch", "topic")).code).toBe(0);

      // A merged request changed since is judged again.
      rmSync(join(repo.root, "access/requests/alice-new.yaml"));
      writeFileSync(
        join(repo.root, "access/requests/alice-old.yaml"),
        started("alice-old").replace("4h", "2h"),
      );
      const changed = await validate();
      expect(changed.out).toContain("access/requests/alice-old.yaml:10:10 start.invalid:");
    } finally {
      repo.remove();
    }
  });

  it("a bad --default-branch is a configuration error naming it", async () => {
    const repo = tempRepo({
      "policies/test.yaml": POLICY_YAML,
      "access/requests/alice-prod-db.yaml": REQUEST_YAML,
    });
    const o = captureOutput();
    const code = await runCli(["node", "jitops", "validate", "--default-branch", "nope"], {
      env: {},
      output: o,
      now: () => NOW,
      cwd: repo.root,
    });
    repo.remove();
    expect(code).toBe(2);
    expect(o.stderr.join("\n")).toMatch(
      /^error: --default-branch nope names no commit in the git checkout at \/.*; name the default branch as git knows it, e\.g\. origin\/main/,
    );
  });
});
