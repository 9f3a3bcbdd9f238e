import { runAction } from "../../action/run.js";
import { NOW, POLICY_YAML, REQUEST_YAML } from "../fixtures/policy.js";
import { recordActionIO } from "../fixtures/record-action-io.js";
import { tempRepo } from "../fixtures/temp-repo.js";

describe("action mode: validate, CODEOWNERS", () => {
  it("annotates a CODEOWNERS line GitHub skips at its line and column, and fails the step", async () => {
    const repo = tempRepo({
      "policies/test.yaml": POLICY_YAML,
      "access/requests/alice-prod-db.yaml": REQUEST_YAML,
      CODEOWNERS: "# owners\n*  @acme/security\naccess/***/alice-prod-db.yaml @mallory\n",
    });
    const { io, rec } = recordActionIO();
    await runAction(io, { GITHUB_WORKSPACE: repo.root }, () => NOW);
    repo.remove();
    expect(rec.annotations).toEqual([
      {
        level: "error",
        file: "CODEOWNERS",
        line: 3,
        column: 1,
        title: "jitops codeowners.invalid-line",
        message:
          'line skipped (invalid pattern): "access/***/alice-prod-db.yaml" has "***"; patterns accept the wildcards *, ** and ?, never three or more stars in a row; GitHub ignores this whole line',
      },
    ]);
    expect(rec.outputs).toMatchObject({ valid: "false", errors: "1" });
    expect(rec.failed).toMatch(/1 error in 1 of 3 files/);
  });
});
