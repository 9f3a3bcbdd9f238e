import { runCli } from "../../cli/program.js";
import { captureOutput } from "../fixtures/capture-output.js";
import { NOW, POLICY_YAML, REQUEST_YAML } from "../fixtures/policy.js";
import { tempRepo } from "../fixtures/temp-repo.js";

const BAD = REQUEST_YAML.replace("duration: 4h", "duration: 9h");

async function run(files: Record<string, string>, ...args: string[]) {
  const repo = tempRepo(files);
  const o = captureOutput();
  try {
    const code = await runCli(["node", "jitops", ...args, "-C", repo.root], o, () => NOW);
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
    expect(await runCli(["node", "jitops", "validate", "--help"], o)).toBe(0);
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
    await runCli(["node", "jitops", "validate", "-C", repo.root], o, () => NOW);
    repo.remove();
    expect(o.stdout[0]).toContain("\u001b[31mduration.exceeds-max\u001b[0m");
  });
});
