import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { runAction } from "../../action/run.js";
import { NOW, POLICY_YAML, REQUEST_YAML } from "../fixtures/policy.js";
import { recordActionIO } from "../fixtures/record-action-io.js";
import { tempRepo } from "../fixtures/temp-repo.js";

const git = (cwd: string, ...args: string[]) =>
  execFileSync("git", ["-c", "user.name=t", "-c", "user.email=t@example.com", ...args], {
    cwd,
    encoding: "utf8",
  }).trim();

describe("action mode validate on a pull request", () => {
  it("checks only the requests the PR adds or changes, so a merged request whose start has passed is not judged again", async () => {
    // On the base: an already merged request that started yesterday (valid when it merged).
    const merged = `${REQUEST_YAML.replace("alice-prod-db", "alice-old")}  start: 2026-11-23T09:00:00Z\n`;
    const repo = tempRepo({ "policies/test.yaml": POLICY_YAML, "access/requests/alice-old.yaml": merged });
    git(repo.root, "init", "-q", "-b", "main");
    git(repo.root, "add", "-A");
    git(repo.root, "commit", "-q", "-m", "base");
    const base = git(repo.root, "rev-parse", "HEAD");
    writeFileSync(join(repo.root, "access/requests/alice-prod-db.yaml"), REQUEST_YAML);
    git(repo.root, "add", "-A");
    git(repo.root, "commit", "-q", "-m", "request");
    const event = join(repo.root, "event.json"); // untracked: not part of the diff
    writeFileSync(event, JSON.stringify({ pull_request: { base: { sha: base } } }));

    const { io, rec } = recordActionIO();
    await runAction(
      io,
      { GITHUB_WORKSPACE: repo.root, GITHUB_EVENT_NAME: "pull_request", GITHUB_EVENT_PATH: event },
      () => NOW,
    );
    expect(rec.failed).toBeUndefined();
    expect(JSON.parse(rec.outputs.requests!).map((r: { name: string }) => r.name)).toEqual(["alice-prod-db"]);

    // Outside a pull request every file is checked: both are on the default branch (main), unchanged,
    // so the passed start of the old one is not an error...
    const all = recordActionIO();
    await runAction(all.io, { GITHUB_WORKSPACE: repo.root }, () => NOW);
    expect(all.rec.failed).toBeUndefined();
    expect(all.rec.outputs.valid).toBe("true");

    // ...until it is changed: a changed request is judged like a new one.
    writeFileSync(join(repo.root, "access/requests/alice-old.yaml"), merged.replace("4h", "2h"));
    const edited = recordActionIO();
    await runAction(edited.io, { GITHUB_WORKSPACE: repo.root }, () => NOW);
    expect(edited.rec.annotations.map((a) => [a.file, a.line, a.title])).toEqual([
      ["access/requests/alice-old.yaml", 10, "jitops start.invalid"],
    ]);
    repo.remove();
  });

  it.each([
    ["a push to the default branch: every request is merged", "refs/heads/main", undefined],
    ["a push to another branch, without git: judged against now", "refs/heads/topic", "jitops start.invalid"],
  ])("%s", async (_name, ref, title) => {
    const started = `${REQUEST_YAML}  start: 2026-11-23T09:00:00Z\n`;
    const repo = tempRepo({
      "policies/test.yaml": POLICY_YAML,
      "access/requests/alice-prod-db.yaml": started,
    });
    const event = join(repo.root, "event.json");
    writeFileSync(event, JSON.stringify({ repository: { default_branch: "main" } }));
    const { io, rec } = recordActionIO();
    await runAction(
      io,
      { GITHUB_WORKSPACE: repo.root, GITHUB_EVENT_NAME: "push", GITHUB_EVENT_PATH: event, GITHUB_REF: ref },
      () => NOW,
    );
    repo.remove();
    expect(rec.annotations.map((a) => a.title)).toEqual(title ? [title] : []);
  });

  it("falls back to every request file in a shallow checkout, and says how to avoid it", async () => {
    const repo = tempRepo({
      "policies/test.yaml": POLICY_YAML,
      "access/requests/alice-prod-db.yaml": REQUEST_YAML,
    });
    const event = join(repo.root, "event.json");
    writeFileSync(event, JSON.stringify({ pull_request: { base: { sha: "a".repeat(40) } } }));
    const { io, rec } = recordActionIO();
    await runAction(
      io,
      { GITHUB_WORKSPACE: repo.root, GITHUB_EVENT_NAME: "pull_request", GITHUB_EVENT_PATH: event },
      () => NOW,
    );
    expect(rec.failed).toBeUndefined();
    expect(rec.infos[0]).toContain("fetch-depth: 0");
    repo.remove();
  });
});
