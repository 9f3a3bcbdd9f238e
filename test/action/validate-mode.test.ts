import { existsSync, writeFileSync } from "node:fs";
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
    await runAction(io, { GITHUB_WORKSPACE: repo.root }, NOW);
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
    await runAction(io, { GITHUB_WORKSPACE: repo.root }, NOW);
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

  it("refuses an unknown mode, naming the accepted ones", async () => {
    const { io, rec } = recordActionIO({ mode: "grant" });
    await runAction(io, {}, NOW);
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
