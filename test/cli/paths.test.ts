import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { REQUEST_YAML } from "../fixtures/policy.js";
import { tempRepo } from "../fixtures/temp-repo.js";
import { jitops, REPO } from "./cli-repo.js";

const REQ = "access/requests/alice-prod-db.yaml";
const paths = (out: string) =>
  (JSON.parse(out) as { results: { path: string }[] }).results.map((r) => r.path);

describe("paths: absolute, relative to the working directory, or to -C; reported repository-relative", () => {
  let repo: { root: string; remove: () => void };
  let elsewhere: string;
  beforeAll(() => {
    repo = tempRepo(REPO);
    elsewhere = mkdtempSync(join(tmpdir(), "jitops-elsewhere-"));
  });
  afterAll(() => {
    repo.remove();
    rmSync(elsewhere, { recursive: true, force: true });
  });

  it.each([
    ["an absolute file, from the root", () => repo.root, () => [join(repo.root, REQ)]],
    ["a relative file, from the root", () => repo.root, () => [REQ]],
    [
      "a file named from access/requests",
      () => join(repo.root, "access/requests"),
      () => ["alice-prod-db.yaml"],
    ],
    ["a ../ path from policies/tests", () => join(repo.root, "policies/tests"), () => [`../../${REQ}`]],
    [
      "an absolute file with -C, from elsewhere",
      () => elsewhere,
      () => ["-C", repo.root, join(repo.root, REQ)],
    ],
    ["a relative file with -C, from elsewhere", () => elsewhere, () => ["-C", repo.root, REQ]],
    [
      "a file relative to -C access/requests",
      () => repo.root,
      () => ["-C", "access/requests", "alice-prod-db.yaml"],
    ],
    ["a folder, for the YAML files in it", () => repo.root, () => ["access/requests/"]],
    ["the folder it runs in", () => join(repo.root, "access/requests"), () => ["."]],
    ["the repository root, for every request", () => join(repo.root, "access"), () => [".."]],
  ])("validate takes %s", async (_name, cwd, args) => {
    const r = await jitops(cwd(), ["validate", "--json", ...args()]);
    expect(paths(r.out)).toEqual(["policies/test.yaml", REQ]);
    expect(r.code).toBe(0);
  });

  it("validate from a subfolder checks against the repository's policy, not 'known entitlements: none'", async () => {
    const r = await jitops(join(repo.root, "access/requests"), ["validate"]);
    expect(r).toMatchObject({ code: 0, out: "2 files valid" });
  });

  it.each([
    ["from policies/ with a relative folder", () => join(repo.root, "policies"), () => ["tests"]],
    [
      "with an absolute folder, from elsewhere with -C",
      () => elsewhere,
      () => ["-C", repo.root, join(repo.root, "policies/tests")],
    ],
    [
      "with an absolute case file",
      () => repo.root,
      () => [join(repo.root, "policies/tests/staging.test.yaml")],
    ],
    ["with no argument, from a subfolder", () => join(repo.root, "access"), () => []],
  ])("test runs the cases %s", async (_name, cwd, args) => {
    const r = await jitops(cwd(), ["test", ...args()]);
    expect(r.out).toBe("PASS  staging-viewer is approved with no review\n1 passed, 0 failed");
    expect(r.code).toBe(0);
  });

  it("decide and plan take absolute paths", async () => {
    const d = await jitops(elsewhere, [
      "decide",
      "-C",
      repo.root,
      join(repo.root, "policies/tests/staging.test.yaml"),
    ]);
    expect(d.out.split("\n")[0]).toBe("decision: approved");
    const p = await jitops(join(repo.root, "policies"), ["plan", "--author", "alice", join(repo.root, REQ)]);
    expect(p.code).toBe(0);
    expect(p.out).toContain(
      "| grant | alice (`user:alice@example.com`) | roles/cloudsql.viewer on projects/acme-prod (gcp) |",
    );
  });

  it("a repository reached through a symlinked folder: the same files, the same paths", async () => {
    const link = join(elsewhere, "repo-link");
    symlinkSync(repo.root, link);
    try {
      const fromLink = await jitops(link, ["validate", "--json", join(link, REQ)]);
      expect(paths(fromLink.out)).toEqual(["policies/test.yaml", REQ]);
      // The real path of a file, given while working in the link.
      const real = await jitops(join(link, "access"), [
        "validate",
        "--json",
        join(realpathSync(repo.root), REQ),
      ]);
      expect(paths(real.out)).toEqual(["policies/test.yaml", REQ]);
      expect(real.code).toBe(0);
    } finally {
      rmSync(link);
    }
  });

  it("a request that is a symlink is read through it and reported under its own name", async () => {
    const r = tempRepo({ ...REPO, "drafts/alice-prod-db.yaml": REQUEST_YAML });
    rmSync(join(r.root, REQ));
    symlinkSync(join(r.root, "drafts/alice-prod-db.yaml"), join(r.root, REQ));
    const out = await jitops(r.root, ["validate", "--json"]);
    r.remove();
    expect(JSON.parse(out.out)).toEqual({
      ok: true,
      results: [
        { path: "policies/test.yaml", ok: true, errors: [] },
        { path: REQ, ok: true, errors: [] },
      ],
    });
  });

  it("a file outside the repository is a usage error naming it", async () => {
    const r = await jitops(repo.root, ["validate", join(elsewhere, "x.yaml")]);
    expect(r.code).toBe(2);
    expect(r.err).toBe(
      `error: ${join(elsewhere, "x.yaml")} is outside the repository ${realpathSync(repo.root)}; give paths inside it, or pass -C the repository that holds it\n(run jitops validate --help for usage)`,
    );
  });
});

describe("the repository root", () => {
  it("not found from the working directory: exit 2 with where it looked and the fix", async () => {
    const empty = mkdtempSync(join(tmpdir(), "jitops-empty-"));
    try {
      for (const args of [
        ["validate"],
        ["test"],
        ["plan", "--author", "alice"],
        ["plan", "--trust"],
        ["apply"],
      ]) {
        const r = await jitops(empty, args);
        expect([args, r.code, r.out, r.err]).toEqual([
          args,
          2,
          "",
          `error: no policies/ folder found in ${empty} or any parent; run from your access repository or pass -C DIR`,
        ]);
      }
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });

  it.each([
    ["/nonexistent", "no such folder (/nonexistent)"],
    ["policies/test.yaml", "not a folder"],
  ])("-C %s: exit 2, naming it", async (dir, what) => {
    const repo = tempRepo(REPO);
    const r = await jitops(repo.root, ["validate", "-C", dir]);
    repo.remove();
    expect(r.code).toBe(2);
    expect(r.err).toContain(`error: -C ${dir}: ${what}`);
    expect(r.err).toContain("pass -C the root of your access repository, the folder holding policies/");
  });

  it("policies/ without a policy file: validate exits 2 instead of passing having checked nothing", async () => {
    const repo = tempRepo({ "policies/tests/staging.test.yaml": "x" });
    const r = await jitops(repo.root, ["validate"]);
    repo.remove();
    expect(r.code).toBe(2);
    expect(r.err).toMatch(
      /^error: no policy files in \/.*\/policies; add the policy as policies\/<name>\.yaml/,
    );
  });
});

describe("files that are not regular files are findings, by name, and the rest is still checked", () => {
  it.each([
    [
      "a folder named x.yaml",
      (root: string) => mkdirSync(join(root, "access/requests/x.yaml")),
      "file.not-regular",
      "access/requests/x.yaml is a folder, not a file",
    ],
    [
      "a broken symlink",
      (root: string) => symlinkSync(join(root, "gone.yaml"), join(root, "access/requests/x.yaml")),
      "file.missing",
      "is a symbolic link to ",
    ],
  ])("%s under access/requests/", async (_name, make, code, message) => {
    const repo = tempRepo({
      ...REPO,
      "access/requests/bad.yaml": REQUEST_YAML.replace("alice-prod-db", "bad").replace("4h", "9h"),
    });
    make(repo.root);
    const r = await jitops(repo.root, ["validate", "--json"]);
    repo.remove();
    const doc = JSON.parse(r.out) as {
      results: {
        path: string;
        ok: boolean;
        errors: { code: string; message: string; line: number; column: number }[];
      }[];
    };
    expect(doc.results.map((x) => [x.path, x.ok, x.errors.map((e) => e.code)])).toEqual([
      ["policies/test.yaml", true, []],
      [REQ, true, []],
      ["access/requests/bad.yaml", false, ["duration.exceeds-max"]],
      ["access/requests/x.yaml", false, [code]],
    ]);
    expect(doc.results[3]!.errors[0]).toMatchObject({
      line: 1,
      column: 1,
      message: expect.stringContaining(message),
    });
    expect(r.code).toBe(1);
  });

  it("a missing case file given to test is a failed case, and the others still run", async () => {
    const repo = tempRepo(REPO);
    const r = await jitops(repo.root, ["test", "policies/tests/nope.test.yaml", "policies/tests"]);
    repo.remove();
    expect(r.out.split("\n")).toEqual([
      "FAIL  policies/tests/nope.test.yaml",
      "      policies/tests/nope.test.yaml:1:1 file.missing: policies/tests/nope.test.yaml: no such file",
      "PASS  staging-viewer is approved with no review",
      "1 passed, 1 failed",
    ]);
    expect(r.code).toBe(1);
  });
});

describe("one function decides a file's kind from its path, for every command", () => {
  let repo: { root: string; remove: () => void };
  beforeAll(() => {
    repo = tempRepo({
      ...REPO,
      "README.md": "# access\n",
      "access/requests/team/x.yaml": REQUEST_YAML,
      "policies/tests/broken.test.yaml": "name: broken\n",
    });
  });
  afterAll(() => repo.remove());

  it("validate checks a policy file as a policy, once, not as an AccessRequest", async () => {
    const r = await jitops(repo.root, ["validate", "--json", "policies/test.yaml"]);
    expect(JSON.parse(r.out)).toEqual({
      ok: true,
      results: [{ path: "policies/test.yaml", ok: true, errors: [] }],
    });
    expect(r.code).toBe(0);
  });

  it("validate checks a test case as a test case", async () => {
    const r = await jitops(repo.root, [
      "validate",
      "--json",
      "policies/tests/staging.test.yaml",
      "policies/tests/broken.test.yaml",
    ]);
    const doc = JSON.parse(r.out) as { results: { path: string; ok: boolean; errors: { code: string }[] }[] };
    expect(doc.results.map((x) => [x.path, x.ok])).toEqual([
      ["policies/test.yaml", true],
      ["policies/tests/staging.test.yaml", true],
      ["policies/tests/broken.test.yaml", false],
    ]);
    expect(new Set(doc.results[2]!.errors.map((e) => e.code))).toEqual(new Set(["case.invalid"]));
  });

  it.each([
    [
      "README.md",
      "README.md is neither a request, a policy, a policy test case nor CODEOWNERS, so nothing checks it; requests live in access/requests/<name>.yaml",
    ],
    [
      "access/requests/team/x.yaml",
      "access/requests/team/x.yaml is neither a request, a policy, a policy test case nor CODEOWNERS, so nothing checks it; requests live in access/requests/<name>.yaml",
    ],
  ])("validate reports %s as file.kind", async (file, message) => {
    const r = await jitops(repo.root, ["validate", file]);
    expect(r.out.split("\n")).toEqual([`${file}:1:1 file.kind: ${message}`, "1 error in 1 of 2 files"]);
    expect(r.code).toBe(1);
  });

  it("test, decide and plan refuse a file of another kind, naming what they take", async () => {
    const t = await jitops(repo.root, ["test", REQ]);
    expect(t.out).toContain(
      `${REQ}:1:1 file.kind: ${REQ} is an access request (access/requests/*.yaml), not a policy test case (*.test.yaml)`,
    );
    expect(t.code).toBe(1);
    const d = await jitops(repo.root, ["decide", "policies/test.yaml"]);
    expect(d.err).toContain(
      "error: policies/test.yaml is a policy file (policies/*.yaml), not a policy test case (*.test.yaml)",
    );
    expect(d.code).toBe(2);
    const p = await jitops(repo.root, ["plan", "--author", "alice", "policies/test.yaml"]);
    expect(p.out).toBe(
      "policies/test.yaml:1:1 file.kind: policies/test.yaml is a policy file (policies/*.yaml), not an access request (access/requests/*.yaml)",
    );
    expect(p.code).toBe(1);
  });
});
