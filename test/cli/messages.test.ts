import { validationSummary } from "../../core/validation-summary.js";
import { POLICY_YAML, REQUEST_YAML } from "../fixtures/policy.js";
import { tempRepo } from "../fixtures/temp-repo.js";
import { jitops } from "./cli-repo.js";

const BROKEN_POLICY = POLICY_YAML.replace("roles/browser", "roles/owner");
const request = (name: string, extra = "") => REQUEST_YAML.replace("alice-prod-db", name) + extra;

async function inRepo(files: Record<string, string>, args: string[]) {
  const repo = tempRepo(files);
  try {
    return await jitops(repo.root, args);
  } finally {
    repo.remove();
  }
}

describe("validate's closing line is plain English, singular or plural", () => {
  it.each([
    [{ "policies/test.yaml": POLICY_YAML }, "1 file valid"],
    [{ "policies/test.yaml": POLICY_YAML, "access/requests/a-b-c.yaml": request("a-b-c") }, "2 files valid"],
    [{ "policies/test.yaml": BROKEN_POLICY }, "1 error in 1 file"],
    [
      { "policies/test.yaml": BROKEN_POLICY, "access/requests/a-b-c.yaml": request("a-b-c") },
      "2 errors in all 2 files",
    ],
    [
      {
        "policies/test.yaml": POLICY_YAML,
        "access/requests/a-b-c.yaml": request("a-b-c").replace("4h", "9h"),
      },
      "1 error in 1 of 2 files",
    ],
  ])("%j ends with %j", async (files, last) => {
    const r = await inRepo(files, ["validate"]);
    expect(r.out.split("\n").pop()).toBe(last);
  });

  it.each([
    [[true], 0, "1 file valid"],
    [[true, true, true], 0, "3 files valid"],
    [[false], 3, "3 errors in 1 file"],
    [[false, true, false, true, true], 3, "3 errors in 2 of 5 files"],
    [[false, false], 1, "1 error in all 2 files"],
  ])("validationSummary(%j, %d) is %j", (oks, errors, text) => {
    const results = oks.map((ok, i) => ({ path: `p${i}`, ok, errors: [] }));
    expect(validationSummary(results, errors)).toBe(text);
  });
});

describe("a broken policy", () => {
  const files = {
    "policies/test.yaml": BROKEN_POLICY,
    "access/requests/a-b-c.yaml": request("a-b-c"),
    "access/requests/d-e-f.yaml": request("d-e-f"),
    "access/requests/g-h-i.yaml": request("g-h-i").replace("name: g-h-i", "name: other"),
  };

  it("is reported once, not as one policy.invalid line per request; a request's own errors still show", async () => {
    const r = await inRepo(files, ["validate"]);
    expect(r.out.split("\n")).toEqual([
      "policies/test.yaml:22:56 gcp.basic-role: role roles/owner is a basic role and cannot carry an IAM condition, so it could never expire; use a predefined or custom role",
      "policy.invalid: the policy under policies/ has errors, so 3 request files were not checked against it",
      'access/requests/g-h-i.yaml:4:9 request.name-mismatch: metadata.name "other" must equal the file name stem "g-h-i"',
      "3 errors in all 4 files",
    ]);
    expect(r.code).toBe(1);
  });

  it("still gives each request its policy.invalid in JSON, where each result stands alone", async () => {
    const r = await inRepo(files, ["validate", "--json"]);
    const doc = JSON.parse(r.out) as { results: { path: string; errors: { code: string }[] }[] };
    expect(doc.results.map((x) => [x.path, x.errors.map((e) => e.code)])).toEqual([
      ["policies/test.yaml", ["gcp.basic-role"]],
      ["access/requests/a-b-c.yaml", ["policy.invalid"]],
      ["access/requests/d-e-f.yaml", ["policy.invalid"]],
      ["access/requests/g-h-i.yaml", ["policy.invalid", "request.name-mismatch"]],
    ]);
  });
});

it("policy.duplicate-name says where the name was first declared (file:line)", async () => {
  const second = POLICY_YAML.replace("name: test", "name: second");
  const r = await inRepo({ "policies/a.yaml": POLICY_YAML, "policies/b.yaml": second }, ["validate"]);
  expect(r.out.split("\n")).toContain(
    "policies/b.yaml:11:13 policy.duplicate-name: entitlement prod-db-reader is already declared at policies/a.yaml:11; names are unique across policies/",
  );
});

it("a broken test case shows every error, each with its line, column, code and message", async () => {
  const broken = `name: broken
now: yesterday
pr:
  author: alice
  head: c1
  files:
    - {path: access/requests/x.yaml, status: added-ish}
  commits: []
  reviews: []
directory: {users: {}, teams: {}}
expect: {decision: maybe}
`;
  const r = await inRepo({ "policies/test.yaml": POLICY_YAML, "policies/tests/broken.test.yaml": broken }, [
    "test",
  ]);
  const p = "policies/tests/broken.test.yaml";
  expect(r.out.split("\n")).toEqual([
    `FAIL  ${p}`,
    `      ${p}:2:6 case.invalid: now must be an RFC 3339 time with a zone, e.g. 2026-11-24T10:00:00Z`,
    `      ${p}:7:46 case.invalid: status must be one of added, modified, removed, renamed`,
    `      ${p}:11:20 case.invalid: expect.decision must be one of approved, pending, denied, invalid`,
    "0 passed, 1 failed",
  ]);
  const json = await inRepo(
    { "policies/test.yaml": POLICY_YAML, "policies/tests/broken.test.yaml": broken },
    ["test", "--json"],
  );
  expect(JSON.parse(json.out).cases[0].errors.map((e: { line: number }) => e.line)).toEqual([2, 7, 11]);
});

describe("plan says only what it checked", () => {
  const policy = POLICY_YAML.replace(
    '    alice: {gcp: "user:alice@example.com"}',
    '    alice: {gcp: "user:alice@example.com"}\n    bob: {gcp: "user:bob@example.com"}',
  );

  it("with no request files: nothing to plan, and no claim about the cloud", async () => {
    const r = await inRepo({ "policies/test.yaml": policy }, ["plan", "--author", "alice"]);
    expect(r).toMatchObject({
      code: 0,
      out: "no request files under access/requests/: nothing to plan (the policy is valid)",
    });
  });

  it("plans only requests the author could make: bob's principal is skipped with a warning", async () => {
    const files = {
      "policies/test.yaml": policy,
      "access/requests/alice-prod-db.yaml": REQUEST_YAML,
      "access/requests/bob-prod-db.yaml": request("bob-prod-db", "  principal: user:bob@example.com\n"),
    };
    const r = await inRepo(files, ["plan", "--author", "alice"]);
    expect(r.err).toBe(
      "warning: skipped access/requests/bob-prod-db.yaml: principal user:bob@example.com is not alice's, and prod-db-reader does not allow requesting for others, so the bot would deny it",
    );
    const lines = r.out.split("\n");
    expect(lines[0]).toBe(
      "1 request file planned as if alice opened the pull request and it merged now (1 skipped); the cloud is not read:",
    );
    expect(lines.filter((l) => l.startsWith("| grant"))).toEqual([
      "| grant | alice (`user:alice@example.com`) | roles/cloudsql.viewer on projects/acme-prod (gcp) | 2026-11-24T14:00:00Z (in 4h) |",
    ]);
    expect(r.code).toBe(0);
    const json = JSON.parse((await inRepo(files, ["plan", "--author", "alice", "--json"])).out);
    expect(json.skipped).toEqual([
      { path: "access/requests/bob-prod-db.yaml", reason: expect.stringContaining("bob") },
    ]);

    // bob planning his own request gets it, and does not get alice's named for nobody.
    const bob = await inRepo(files, ["plan", "--author", "bob", "access/requests/bob-prod-db.yaml"]);
    expect(bob.out).toContain("| grant | bob (`user:bob@example.com`) |");
  });

  it("when every request is skipped: 'nothing would be granted', never 'the cloud matches Git'", async () => {
    const files = {
      "policies/test.yaml": policy,
      "access/requests/bob-prod-db.yaml": request("bob-prod-db", "  principal: user:bob@example.com\n"),
    };
    const r = await inRepo(files, ["plan", "--author", "alice"]);
    expect(r.out).toBe(
      "0 request files planned as if alice opened the pull request and it merged now (1 skipped); the cloud is not read:\nnothing would be granted",
    );
    expect(r.out).not.toContain("cloud matches");
  });

  it.each([
    [
      ["plan", "--trust", "--author", "alice"],
      "--author does nothing with --trust, which compares workload trust only",
    ],
    [
      ["plan", "--trust", "--default-branch", "main"],
      "--default-branch does nothing with --trust, which compares workload trust only",
    ],
    [
      ["plan", "--trust", "access/requests/x.yaml"],
      "plan --trust takes no files (got access/requests/x.yaml): it compares every workload in policy",
    ],
    [["plan", "--author", "alice", "--provider", "gcp"], "--provider applies to plan --trust and to apply"],
    [["apply", "--provider", "aws"], "--provider aws is not accepted; accepted: gcp, azure"],
  ])("%j is a usage error: %s", async (args, message) => {
    const r = await inRepo({ "policies/test.yaml": policy }, args);
    expect(r.code).toBe(2);
    expect(r.err.split("\n")[0]).toBe(`error: ${message}`);
  });

  it("plan --trust with no workloads says so instead of 'trust matches policy'", async () => {
    const r = await inRepo({ "policies/test.yaml": policy }, ["plan", "--trust"]);
    expect(r.err).toBe(
      "error: policy declares no workloads with grants, so there is no trust to compare; add workloads to a policy file under policies/ (see docs/workloads.md)",
    );
    expect(r.out).toBe("");
  });
});
