import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse, parseDocument } from "yaml";

// Every workflow (the project's own, and the ones the docs tell users to copy) parses, and every
// action it uses is pinned by a version tag or a full commit SHA. The release workflow's scripts run
// here for real: they read the version and move the major tag in a scratch repository.

const ROOT = process.cwd();
type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** The `workflow` examples of the docs: fenced YAML after `<!-- example: workflow -->`. */
function docWorkflows(): [string, string][] {
  const out: [string, string][] = [];
  for (const f of ["README.md", ...readdirSync(join(ROOT, "docs")).map((n) => `docs/${n}`)]) {
    if (!f.endsWith(".md")) continue;
    const text = readFileSync(join(ROOT, f), "utf8");
    for (const m of text.matchAll(/<!--\s*example:\s*workflow\s*-->\s*\n```ya?ml\n([\s\S]*?)\n```/g)) {
      const line = text.slice(0, m.index).split("\n").length;
      out.push([`${f}:${line}`, m[1]!]);
    }
  }
  return out;
}

const own = readdirSync(join(ROOT, ".github/workflows"))
  .filter((f) => /\.ya?ml$/.test(f))
  .map((f): [string, string] => [
    `.github/workflows/${f}`,
    readFileSync(join(ROOT, ".github/workflows", f), "utf8"),
  ]);
const workflows = [...own, ...docWorkflows()];

/** Every `uses:` of a workflow: steps' actions and jobs' reusable workflows. */
function usesOf(w: Obj): string[] {
  return Object.values(w.jobs as Record<string, Obj>).flatMap((job) => [
    ...(job.uses ? [job.uses as string] : []),
    ...((job.steps ?? []) as Obj[]).filter((s) => s.uses).map((s) => s.uses as string),
  ]);
}

/** Pinned: a local action, or owner/repo[/path]@ a version tag (v4, v2.1, v1.2.3) or a 40-hex commit SHA. */
export function pinned(uses: string): boolean {
  if (uses.startsWith("./")) return true;
  if (uses.startsWith("docker://")) return /@sha256:[0-9a-f]{64}$/.test(uses);
  return /^[\w.-]+\/[\w.-]+(\/[\w./-]+)?@(v\d+(\.\d+){0,2}|[0-9a-f]{40})$/.test(uses);
}

describe("workflows", () => {
  it("finds the project's workflows and the docs' sweeper and reconcile workflows", () => {
    expect(own.map(([f]) => f)).toEqual(
      expect.arrayContaining([".github/workflows/ci.yml", ".github/workflows/release.yml"]),
    );
    expect(
      docWorkflows().filter(([f]) => f.startsWith("docs/expire-workflow.md")).length,
    ).toBeGreaterThanOrEqual(2);
  });

  it.each([
    ["actions/checkout@v4", true],
    ["actions/create-github-app-token@v2.1.4", true],
    ["jitops/jitops@0123456789abcdef0123456789abcdef01234567", true],
    ["./", true],
    ["actions/checkout@main", false],
    ["actions/checkout@master", false],
    ["actions/checkout", false],
    ["jitops/jitops@0123456", false],
    ["docker://node:24", false],
  ])("pinned(%s) is %s", (uses, expected) => {
    expect(pinned(uses)).toBe(expected);
  });

  it.each(workflows)("%s parses and pins every action by tag or SHA", (_, text) => {
    const doc = parseDocument(text);
    expect(doc.errors.map((e) => e.message)).toEqual([]);
    const w = doc.toJS() as Obj;
    expect(w).toHaveProperty("on");
    expect(Object.keys(w.jobs).length).toBeGreaterThan(0);
    const uses = usesOf(w);
    expect(uses.filter((u) => !pinned(u))).toEqual([]);
  });

  it("the docs' scheduled workflows use the Action (no npx) with a token minted per run", () => {
    for (const [where, text] of docWorkflows().filter(([f]) => f.startsWith("docs/expire-workflow.md"))) {
      expect(`${where}: ${text}`).not.toMatch(/\bnpx\b/);
      const steps = Object.values(parse(text).jobs as Record<string, Obj>).flatMap((j) => j.steps as Obj[]);
      const app = steps.find((s) => String(s.uses).startsWith("actions/create-github-app-token@"));
      const jitops = steps.find((s) => String(s.uses).startsWith("jitops/jitops@"));
      if (!app?.id || !jitops)
        throw new Error(`${where}: needs an app token step with an id and a jitops step`);
      expect(jitops.with.token).toBe(`\${{ steps.${app.id}.outputs.token }}`);
      expect(["reconcile", "expire"]).toContain(jitops.with.mode);
    }
  });

  it("ci runs .ci/run", () => {
    const ci = parse(readFileSync(join(ROOT, ".github/workflows/ci.yml"), "utf8")) as Obj;
    expect(ci.jobs.ci.steps.map((s: Obj) => s.run).filter(Boolean)).toEqual(["bash .ci/run"]);
  });

  describe("release", () => {
    const release = parse(readFileSync(join(ROOT, ".github/workflows/release.yml"), "utf8")) as Obj;
    const steps = release.jobs.release.steps as Obj[];
    const step = (name: RegExp) => {
      const s = steps.find((x) => name.test(x.name ?? ""));
      if (!s) throw new Error(`no step named ${name}`);
      return s;
    };
    let dir: string;
    beforeEach(() => (dir = mkdtempSync(join(tmpdir(), "jitops-release-"))));
    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    const git = (cwd: string, ...args: string[]) =>
      execFileSync("git", ["-c", "user.name=t", "-c", "user.email=t@example.com", ...args], {
        cwd,
        encoding: "utf8",
      }).trim();
    /** Runs a step's script as the runner would (bash -e), with `env`; returns GITHUB_OUTPUT's lines. */
    const runStep = (s: Obj, cwd: string, env: Record<string, string>) => {
      const output = join(dir, "output");
      writeFileSync(output, "");
      execFileSync("bash", ["-e", "-c", s.run], {
        cwd,
        env: { PATH: process.env.PATH, GITHUB_OUTPUT: output, ...env },
        stdio: "pipe",
      });
      return Object.fromEntries(
        readFileSync(output, "utf8")
          .split("\n")
          .filter(Boolean)
          .map((l) => l.split("=", 2) as [string, string]),
      );
    };

    it("runs on vX.Y.Z tags and by hand, with contents: write, and checks and tests before publishing", () => {
      expect(release.on.push.tags).toEqual(["v[0-9]+.[0-9]+.[0-9]+"]);
      expect(release.on.workflow_dispatch.inputs.version.required).toBe(true);
      expect(release.permissions).toEqual({ contents: "write" });
      const order = steps.map((s) => s.run ?? s.uses);
      const at = (re: RegExp) => order.findIndex((r) => re.test(String(r)));
      expect(at(/^bash \.ci\/run$/)).toBeGreaterThan(-1);
      expect(at(/^bash \.ci\/run$/)).toBeLessThan(at(/npm pack/));
      expect(at(/npm pack/)).toBeLessThan(at(/gh release create "\$TAG" "\$TARBALL"/));
      expect(at(/gh release create/)).toBeLessThan(at(/git push --force origin "refs\/tags\/\$MAJOR"/));
    });

    it.each([
      ["push", { GITHUB_REF_NAME: "v1.2.3" }, "1.2.3", { tag: "v1.2.3", major: "v1" }],
      ["workflow_dispatch", { INPUT_VERSION: "12.0.1" }, "12.0.1", { tag: "v12.0.1", major: "v12" }],
    ])("reads the version of a %s event and its major tag", (event, env, pkg, expected) => {
      writeFileSync(join(dir, "package.json"), JSON.stringify({ version: pkg }));
      expect(runStep(step(/^Version/), dir, { GITHUB_EVENT_NAME: event, ...env })).toEqual(expected);
    });

    it.each([
      ["a tag that is not X.Y.Z", { GITHUB_REF_NAME: "v1.2" }, "1.2.0"],
      ["a package.json of another version", { GITHUB_REF_NAME: "v1.2.4" }, "1.2.3"],
    ])("refuses %s", (_, env, pkg) => {
      writeFileSync(join(dir, "package.json"), JSON.stringify({ version: pkg }));
      expect(() => runStep(step(/^Version/), dir, { GITHUB_EVENT_NAME: "push", ...env })).toThrow();
    });

    it("moves the major tag to the release's commit, on the remote too", () => {
      const origin = join(dir, "origin.git");
      const work = join(dir, "work");
      git(dir, "init", "--bare", "-q", origin);
      git(dir, "clone", "-q", origin, work);
      const commit = (msg: string) => {
        git(work, "commit", "-q", "--allow-empty", "-m", msg);
        return git(work, "rev-parse", "HEAD");
      };
      const old = commit("1.0.0");
      git(work, "tag", "v1", old);
      const next = commit("1.1.0");
      git(work, "tag", "-a", "v1.1.0", "-m", "annotated, as release tags often are");
      git(work, "push", "-q", "origin", "HEAD", "refs/tags/v1", "refs/tags/v1.1.0");

      runStep(step(/^Move the major tag/), work, { TAG: "v1.1.0", MAJOR: "v1" });

      expect(git(origin, "rev-parse", "refs/tags/v1^{commit}")).toBe(next);
      expect(git(origin, "rev-parse", "refs/tags/v1.1.0^{commit}")).toBe(next);
    });
  });
});
