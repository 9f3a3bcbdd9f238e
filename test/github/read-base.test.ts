import type { GitHubClient } from "../../github/client.js";
import { GitHubCaches, gitHubSession } from "../../github/github-caches.js";
import { estimateBytes } from "../../core/lru-cache.js";
import { BYTES_PER_PATTERN_STEP, preparedBaseBytes, readBase } from "../../github/read-base.js";
import { POLICY_YAML } from "../fixtures/policy.js";

const r = { owner: "acme", repo: "access" };

/** A repository tree served the way GitHub's contents API serves it: a 404 for what is not there. */
function treeClient(files: Record<string, string>, caches = new GitHubCaches()) {
  const asked: string[] = [];
  const request = async (_route: string, params: { path: string }) => {
    asked.push(params.path);
    if (params.path === "policies")
      return {
        data: Object.keys(files)
          .filter((p) => p.startsWith("policies/"))
          .map((p) => ({ type: "file", path: p })),
      };
    const content = files[params.path];
    if (content === undefined) throw Object.assign(new Error("Not Found"), { status: 404 });
    return { data: { type: "file", encoding: "base64", content: Buffer.from(content).toString("base64") } };
  };
  return { gh: gitHubSession({ request } as unknown as GitHubClient, caches), asked };
}

let n = 0;
const sha = () => (++n).toString(16).padStart(40, "0");

describe("readBase: the CODEOWNERS GitHub reads", () => {
  it("reads the locations in GitHub's order and stops at the first found", async () => {
    const { gh, asked } = treeClient({
      "policies/test.yaml": POLICY_YAML,
      CODEOWNERS: "* @acme/security\n* bad\n",
      "docs/CODEOWNERS": "* @acme/docs\n",
    });
    const base = await readBase(gh, r, sha());
    expect(base.codeowners.path).toBe("CODEOWNERS");
    expect(base.codeowners.rules.map((x) => x.owners)).toEqual([["@acme/security"]]);
    expect(base.codeowners.skipped.map((e) => [e.line, e.column, e.code])).toEqual([
      [2, 3, "codeowners.invalid-line"],
    ]);
    expect(asked.filter((p) => p.endsWith("CODEOWNERS"))).toEqual([".github/CODEOWNERS", "CODEOWNERS"]);
  });

  it("an empty .github/CODEOWNERS is the one used", async () => {
    const { gh } = treeClient({
      "policies/test.yaml": POLICY_YAML,
      ".github/CODEOWNERS": "",
      CODEOWNERS: "* @a\n",
    });
    const base = await readBase(gh, r, sha());
    expect(base.codeowners).toEqual({ path: ".github/CODEOWNERS", rules: [], skipped: [] });
  });

  it("no CODEOWNERS anywhere: no path, no rules", async () => {
    const { gh } = treeClient({ "policies/test.yaml": POLICY_YAML });
    expect((await readBase(gh, r, sha())).codeowners).toEqual({ path: undefined, rules: [], skipped: [] });
  });
});

describe("readBase: compiled ticket patterns", () => {
  it("compiles through the bot's long-lived pattern cache, and its cache counts the compiled programs", async () => {
    const caches = new GitHubCaches();
    const patterns = caches.patterns;
    const { gh } = treeClient({ "policies/test.yaml": POLICY_YAML }, caches);
    const base = await readBase(gh, r, sha());
    expect(patterns.size().entries).toBe(1);
    const steps = patterns.size().steps - Math.ceil("^INC-[0-9]+$".length / 8);
    expect(steps).toBeGreaterThan(0);
    // JSON shows nothing of a compiled program: the byte bound counts ~49 bytes a step.
    expect(preparedBaseBytes(base) - estimateBytes(base)).toBe(steps * BYTES_PER_PATTERN_STEP);
    // Another base commit with the same pattern compiles nothing new.
    await readBase(treeClient({ "policies/test.yaml": POLICY_YAML }, caches).gh, r, sha());
    expect(patterns.size()).toEqual({ entries: 1, steps: steps + Math.ceil("^INC-[0-9]+$".length / 8) });
  });
});
