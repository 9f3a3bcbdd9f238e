import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { POLICY_YAML, REQUEST_YAML } from "../fixtures/policy.js";
import { tempRepo } from "../fixtures/temp-repo.js";
import { jitops } from "./cli-repo.js";

const ALICE = { GIT_AUTHOR_NAME: "Alice", GIT_AUTHOR_EMAIL: "alice@example.com" };

/** A checkout whose main holds the test policy (June) and alice's request, squash-merged as #7 on 2026-11-01. */
function checkout() {
  const repo = tempRepo({ "policies/test.yaml": POLICY_YAML });
  const git = (args: string[], date = "2026-06-01T10:00:00Z") =>
    execFileSync("git", args, {
      cwd: repo.root,
      env: {
        ...process.env,
        ...ALICE,
        GIT_COMMITTER_NAME: "GitHub",
        GIT_COMMITTER_EMAIL: "noreply@github.com",
        GIT_AUTHOR_DATE: date,
        GIT_COMMITTER_DATE: date,
      },
      stdio: "pipe",
    });
  git(["init", "-q", "-b", "main"]);
  git(["add", "."]);
  git(["commit", "-q", "-m", "policy"]);
  mkdirSync(join(repo.root, "access/requests"), { recursive: true });
  writeFileSync(join(repo.root, "access/requests/alice-prod-db.yaml"), REQUEST_YAML);
  git(["add", "."]);
  git(["commit", "-q", "-m", "Access: alice-prod-db (#7)"], "2026-11-01T10:00:00Z");
  return repo;
}

const policy = (text: string, root: string) => writeFileSync(join(root, "policies/test.yaml"), text);

describe("jitops impact (a local checkout)", () => {
  let repo: ReturnType<typeof tempRepo>;
  beforeAll(() => {
    repo = checkout();
  });
  afterAll(() => repo.remove());
  afterEach(() => policy(POLICY_YAML, repo.root));

  it("nothing changed: exit 0, and it says what it replayed", async () => {
    const r = await jitops(repo.root, ["impact"]);
    expect(r.code).toBe(0);
    expect(r.stdout[0]).toBe(
      "None of the 1 request replayed would fare differently (policies/ against main)",
    );
    expect(r.out).toContain(
      "Replayed 1 request: 1 merged since 2026-08-26, open pull requests not visible here.",
    );
    expect(r.out).toContain("Reviews are not known here");
  });

  it("a raised count: exit 1, #7 would need 2 approvals (no reviews locally, so not pass or fail)", async () => {
    policy(POLICY_YAML.replace("{name: sre, count: 1,", "{name: sre, count: 2,"), repo.root);
    const r = await jitops(repo.root, ["impact", "--json"]);
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.out) as Record<string, unknown>;
    expect(doc).toMatchObject({ ok: true, replayed: 1, changed: 1, byKind: { "needs-more-approvals": 1 } });
    expect(doc.requests).toEqual([
      expect.objectContaining({
        pr: 7,
        author: "alice",
        before: { decision: "pending", summary: "pending: sre needs 1" },
        after: { decision: "pending", summary: "pending: sre needs 2" },
        why: ["needs 2 approvals (was 1): sre 2 from @acme/sre"],
      }),
    ]);
    expect(r.stdout).toHaveLength(1);
  });

  it("--since shorter than the history replays nothing", async () => {
    const r = await jitops(repo.root, ["impact", "--since", "7d", "--json"]);
    expect(JSON.parse(r.out)).toMatchObject({ replayed: 0, changed: 0 });
    expect(r.code).toBe(0);
  });

  it("an invalid head policy: exit 1 with its errors", async () => {
    policy(POLICY_YAML.replace("maxDuration: 8h", "maxDuration: 8 hours"), repo.root);
    const r = await jitops(repo.root, ["impact"]);
    expect(r.code).toBe(1);
    expect(r.stdout[0]).toBe(
      "The head policy has 1 error, so no request was replayed (policies/ against main)",
    );
    expect(r.out).toMatch(/head policy policies\/test\.yaml:\d+:\d+ duration\.invalid: /);
  });

  it("--directory: a malformed file is directory.invalid at its line and column, exit 2", async () => {
    writeFileSync(join(repo.root, "dir.yaml"), "users:\n  alice: {name: Alice}\n");
    const r = await jitops(repo.root, ["impact", "--directory", "dir.yaml"]);
    expect(r.code).toBe(2);
    expect(r.err).toBe(
      "dir.yaml:2:10 directory.invalid: user alice needs a positive numeric id, e.g. {id: 101}",
    );
  });

  it("--directory: with teams known, eligibility is judged per person", async () => {
    writeFileSync(
      join(repo.root, "dir.yaml"),
      "users: {alice: {id: 101}, bob: {id: 102}}\nteams: {acme/sre: [bob]}\n",
    );
    policy(
      POLICY_YAML.replace(
        "eligible: {teams: [acme/backend], users: [alice]}",
        "eligible: {teams: [acme/sre]}",
      ),
      repo.root,
    );
    const r = await jitops(repo.root, ["impact", "--directory", "dir.yaml", "--json"]);
    const doc = JSON.parse(r.out) as {
      requests: { kinds: string[]; why: string[] }[];
      coverage: { directory: boolean };
    };
    expect(doc.coverage.directory).toBe(true);
    expect(doc.requests[0]!.kinds).toEqual(["newly-denied", "eligibility-removed"]);
    expect(doc.requests[0]!.why[0]).toBe(
      "alice is no longer eligible for prod-db-reader (eligible: @acme/backend, @alice → @acme/sre)",
    );
    expect(r.code).toBe(1);
  });

  const usage: [string, string[], string][] = [
    [
      "a --since that is no duration",
      ["impact", "--since", "2w"],
      "--since 2w is not accepted; give a duration such as 90d, 14d or 36h",
    ],
    [
      "a --base git does not know",
      ["impact", "--base", "origin/nope"],
      "--base origin/nope names no commit in the git checkout",
    ],
    [
      "a --directory that is not there",
      ["impact", "--directory", "nope.yaml"],
      "--directory nope.yaml: no such file",
    ],
  ];
  it.each(usage)("%s is a usage or configuration error (exit 2)", async (_, args, message) => {
    const r = await jitops(repo.root, args);
    expect(r.code).toBe(2);
    expect(r.err).toContain(message);
  });

  it("outside a git checkout: exit 2, saying so", async () => {
    const plain = tempRepo({ "policies/test.yaml": POLICY_YAML });
    try {
      const r = await jitops(plain.root, ["impact"]);
      expect(r.code).toBe(2);
      expect(r.err).toContain("is not a git checkout");
    } finally {
      plain.remove();
    }
  });

  it("--help has the exit statuses", async () => {
    const r = await jitops(repo.root, ["impact", "--help"]);
    expect(r.out).toContain("Exit status:");
    expect(r.out).toContain("1  some request or workload would fare differently, or a policy is invalid");
  });
});
