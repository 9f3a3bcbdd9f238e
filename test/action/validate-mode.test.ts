import { existsSync, realpathSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { cleanup, WRITTEN_FILES } from "../../action/cleanup.js";
import { runAction } from "../../action/run.js";
import { NOW, POLICY_YAML, REQUEST_YAML } from "../fixtures/policy.js";
import { recordActionIO } from "../fixtures/record-action-io.js";
import { tempRepo } from "../fixtures/temp-repo.js";

describe("action mode: validate", () => {
  it("summarises valid requests and sets outputs, needing no token", async () => {
    const repo = tempRepo({
      "policies/test.yaml": POLICY_YAML,
      "access/requests/alice-prod-db.yaml": REQUEST_YAML,
    });
    const { io, rec } = recordActionIO({ mode: "validate" });
    await runAction(io, { GITHUB_WORKSPACE: repo.root }, () => NOW);
    repo.remove();
    expect(rec.failed).toBeUndefined();
    expect(rec.outputs).toMatchObject({ valid: "true", errors: "0" });
    expect(JSON.parse(rec.outputs.requests!)).toEqual([
      expect.objectContaining({
        name: "alice-prod-db",
        entitlement: "prod-db-reader",
        duration: "4h",
        approvals: "sre: 1 of @acme/sre",
      }),
    ]);
    expect(rec.summaries[0]!.rows).toEqual([
      ["Request", "Entitlement", "Principal", "Duration", "Starts", "Approvals needed"],
      [
        "alice-prod-db",
        "prod-db-reader",
        "the PR author's mapped principal",
        "4h",
        "at merge",
        "sre: 1 of @acme/sre",
      ],
    ]);
  });

  it("annotates each error at its file, line and column and fails the step", async () => {
    const repo = tempRepo({
      "policies/test.yaml": POLICY_YAML,
      "access/requests/alice-prod-db.yaml": REQUEST_YAML.replace("ticket: INC-1234", "ticket: JIRA-1"),
    });
    const { io, rec } = recordActionIO();
    await runAction(io, { GITHUB_WORKSPACE: repo.root }, () => NOW);
    repo.remove();
    expect(rec.annotations).toEqual([
      {
        level: "error",
        file: "access/requests/alice-prod-db.yaml",
        line: 9,
        column: 11,
        title: "jitops ticket.invalid",
        message: 'ticket "JIRA-1" does not match ^INC-[0-9]+$, required by entitlement prod-db-reader',
      },
    ]);
    expect(rec.outputs).toMatchObject({ valid: "false", errors: "1" });
    expect(rec.failed).toMatch(/1 error in 1 of 2 files/);
  });

  it("takes an absolute files entry, and reports paths relative to the repository", async () => {
    const repo = tempRepo({
      "policies/test.yaml": POLICY_YAML,
      "access/requests/alice-prod-db.yaml": REQUEST_YAML.replace("4h", "9h"),
    });
    const { io, rec } = recordActionIO({ files: join(repo.root, "access/requests/alice-prod-db.yaml") });
    await runAction(io, { GITHUB_WORKSPACE: repo.root }, () => NOW);
    repo.remove();
    expect(rec.annotations.map((a) => [a.file, a.line, a.column, a.title])).toEqual([
      ["access/requests/alice-prod-db.yaml", 7, 13, "jitops duration.exceeds-max"],
    ]);
    expect(rec.infos).toContain(
      "access/requests/alice-prod-db.yaml:7:13 duration.exceeds-max: duration 9h exceeds the maxDuration 8h of entitlement prod-db-reader",
    );
    expect(rec.failed).toBe("1 error in 1 of 2 files; see the annotations.");
  });

  it("resolves a relative path input against the workspace", async () => {
    const repo = tempRepo({
      "access-repo/policies/test.yaml": POLICY_YAML,
      "access-repo/access/requests/alice-prod-db.yaml": REQUEST_YAML,
    });
    const { io, rec } = recordActionIO({ path: "access-repo" });
    await runAction(io, { GITHUB_WORKSPACE: repo.root }, () => NOW);
    repo.remove();
    expect(rec.failed).toBeUndefined();
    expect(rec.outputs).toMatchObject({ valid: "true", errors: "0" });
  });

  it.each([
    [
      "a path without policies/",
      { path: "nowhere" },
      /^jitops validate: no policies\/ folder in \/.*\/nowhere; set the path input to the root of the access repository checkout/,
    ],
    [
      "a files entry outside the repository",
      { files: "/etc/hosts" },
      /^jitops validate: files: \/etc\/hosts is outside the repository /,
    ],
  ])("fails the step with the reason for %s, having checked nothing", async (_name, inputs, message) => {
    const repo = tempRepo({ "policies/test.yaml": POLICY_YAML });
    const { io, rec } = recordActionIO(inputs);
    await runAction(io, { GITHUB_WORKSPACE: repo.root }, () => NOW);
    repo.remove();
    expect(rec.failed).toMatch(message);
    expect(rec.outputs).toEqual({});
  });

  it("fails the step when policies/ holds no policy file", async () => {
    const repo = tempRepo({ "policies/README.md": "x", "access/requests/alice-prod-db.yaml": REQUEST_YAML });
    const { io, rec } = recordActionIO();
    await runAction(io, { GITHUB_WORKSPACE: repo.root }, () => NOW);
    expect(rec.failed).toBe(
      `jitops validate: no policy files in ${realpathSync(repo.root)}/policies; add the policy as policies/<name>.yaml (kind: Policy), see FORMATS.md`,
    );
    repo.remove();
  });

  it("reports a folder named like a request by its path, and still checks the others", async () => {
    const repo = tempRepo({
      "policies/test.yaml": POLICY_YAML,
      "access/requests/alice-prod-db.yaml": REQUEST_YAML,
      "access/requests/x.yaml/keep": "",
    });
    const { io, rec } = recordActionIO();
    await runAction(io, { GITHUB_WORKSPACE: repo.root }, () => NOW);
    repo.remove();
    expect(rec.annotations).toEqual([
      {
        level: "error",
        file: "access/requests/x.yaml",
        line: 1,
        column: 1,
        title: "jitops file.not-regular",
        message: "access/requests/x.yaml is a folder, not a file",
      },
    ]);
    expect(JSON.parse(rec.outputs.requests!).map((r: { name: string }) => r.name)).toEqual(["alice-prod-db"]);
  });

  it("refuses an unknown mode, naming the accepted ones", async () => {
    const { io, rec } = recordActionIO({ mode: "grant" });
    await runAction(io, {}, () => NOW);
    expect(rec.failed).toBe('unknown mode "grant"; accepted modes: validate, credentials, reconcile, expire');
  });

  it("post step removes every file main recorded", async () => {
    const repo = tempRepo({});
    const f = join(repo.root, "creds.json");
    writeFileSync(f, "{}");
    const { io, rec } = recordActionIO();
    rec.state[WRITTEN_FILES] = JSON.stringify([f, join(repo.root, "already-gone.json")]);
    await cleanup(io);
    expect(existsSync(f)).toBe(false);
    repo.remove();
  });
});
