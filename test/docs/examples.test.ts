import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { isPolicyPath } from "../../core/load-policy.js";
import { CODEOWNERS_PATHS } from "../../core/codeowners.js";
import type { SourceFile } from "../../core/types.js";
import { checkExample, type ExampleContext } from "./helpers/check-example.js";
import { parseClaim, yamlExamples, type YamlExample } from "./helpers/markdown-examples.js";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
/** A fixed "now", so examples with a start keep their meaning; starts in the docs lie after it. */
const NOW = new Date("2026-11-24T10:00:00Z");

function markdownFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? markdownFiles(p) : n.endsWith(".md") ? [p] : [];
  });
}

const files = ["README.md", ...markdownFiles(join(ROOT, "docs")).map((p) => relative(ROOT, p))].sort();
const repoFiles: SourceFile[] = readdirSync(join(ROOT, "policies"))
  .map((n) => `policies/${n}`)
  .filter(isPolicyPath)
  .concat(CODEOWNERS_PATHS.filter((p) => statExists(join(ROOT, p))))
  .map((path) => ({ path, content: readFileSync(join(ROOT, path), "utf8") }));

function statExists(p: string): boolean {
  try {
    return statSync(p).isFile();
  } catch {
    return false;
  }
}

/** A page's requests are checked against the valid policy examples on the page, else policies/ of this repository. */
function contextOf(examples: YamlExample[]): ExampleContext {
  const own = examples
    .filter((e) => e.claim?.kind === "policy" && e.claim.valid)
    .map((e) => ({ path: `policies/example-${e.line}.yaml`, content: e.yaml }));
  return {
    policies: own.length > 0 ? own : repoFiles.filter((f) => isPolicyPath(f.path)),
    repoFiles,
    now: NOW,
  };
}

const example = (marker: string, yaml: string): YamlExample => {
  const [e] = yamlExamples("t.md", `<!-- example: ${marker} -->\n\`\`\`yaml\n${yaml}\`\`\`\n`);
  return e!;
};

const POLICY = `apiVersion: jitops.dev/v1
kind: Policy
metadata: {name: t}
spec:
  principals:
    alice: {gcp: "user:alice@example.com"}
  entitlements:
    - name: db-reader
      grants: [{gcp: {resource: projects/p, role: roles/cloudsql.viewer}}]
      eligible: {users: [alice]}
      maxDuration: 8h
      approval: none
`;
const REQUEST = `apiVersion: jitops.dev/v1
kind: AccessRequest
metadata: {name: alice-db}
spec: {entitlement: db-reader, duration: 9h}
`;
const CTX: ExampleContext = {
  policies: [{ path: "policies/t.yaml", content: POLICY }],
  repoFiles: [],
  now: NOW,
};

describe("the example checker", () => {
  it.each([
    ["valid request", { kind: "request", valid: true, codes: [] }],
    [
      "invalid request duration.exceeds-max",
      { kind: "request", valid: false, codes: ["duration.exceeds-max"] },
    ],
    [
      "invalid request a.b path=access/requests/x.yaml",
      { kind: "request", valid: false, codes: ["a.b"], path: "access/requests/x.yaml" },
    ],
    ["policy", { kind: "policy", valid: true, codes: [] }],
    ["test-case", { kind: "test-case", valid: true, codes: [] }],
    ["workflow", { kind: "workflow" }],
    ["fragment: only the spec", { kind: "fragment", why: "only the spec" }],
  ])("reads the marker %s", (text, claim) => {
    expect(parseClaim(text)).toEqual(claim);
  });

  it.each(["fragment", "invalid request", "valid request x.y", "recipe"])("refuses the marker %s", (text) => {
    expect(typeof parseClaim(text)).toBe("string");
  });

  it("fails an example whose claim is wrong, and passes it when the claim is right", () => {
    expect(checkExample(example("valid request", REQUEST), CTX)).toMatch(
      /claims valid, but duration.exceeds-max/,
    );
    expect(checkExample(example("invalid request duration.exceeds-max", REQUEST), CTX)).toBeUndefined();
    expect(checkExample(example("invalid request duration.invalid", REQUEST), CTX)).toMatch(
      /claims duration.invalid, got duration.exceeds-max/,
    );
    expect(checkExample(example("valid request", REQUEST.replace("9h", "4h")), CTX)).toBeUndefined();
    expect(checkExample(example("invalid policy gcp.basic-role", POLICY), CTX)).toMatch(/got no error/);
    expect(checkExample(example("workflow", "name: x\n"), CTX)).toMatch(/on: and jobs:/);
  });

  it("uses the file-stem rule unless the marker names the path", () => {
    const e = example(
      "invalid request request.name-mismatch path=access/requests/other.yaml",
      REQUEST.replace("9h", "4h"),
    );
    expect(checkExample(e, CTX)).toBeUndefined();
  });

  it("fails a block without a marker", () => {
    const [e] = yamlExamples("t.md", "```yaml\na: 1\n```\n");
    expect(checkExample(e!, CTX)).toMatch(/no <!-- example/);
  });
});

describe.each(files)("YAML examples in %s", (file) => {
  const examples = yamlExamples(file, readFileSync(join(ROOT, file), "utf8"));
  const ctx = contextOf(examples);
  const cases = examples.map((e) => [`line ${e.line}: ${e.marker}`, e] as const);
  if (cases.length === 0) {
    it("has none", () => expect(examples).toEqual([]));
    return;
  }
  it.each(cases)("%s", (_name, e) => {
    expect(checkExample(e, ctx)).toBeUndefined();
  });
});
