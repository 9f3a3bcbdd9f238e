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
      NOW,
    );
    expect(rec.failed).toBeUndefined();
    expect(JSON.parse(rec.outputs.requests!).map((r: { name: string }) => r.name)).toEqual(["alice-prod-db"]);

    // Outside a pull request every file is checked, and the old start is reported.
    const all = recordActionIO();
    await runAction(all.io, { GITHUB_WORKSPACE: repo.root }, NOW);
    expect(all.rec.annotations.map((a) => a.title)).toEqual(["jitops start.invalid"]);
    repo.remove();
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
      NOW,
    );
    expect(rec.failed).toBeUndefined();
    expect(rec.infos[0]).toContain("fetch-depth: 0");
    repo.remove();
  });
});
