import { validateFiles } from "../../core/validate-files.js";
import { NOW, POLICY_FILES } from "../fixtures/policy.js";

const CODEOWNERS = `# code owners
*                        @acme/security
access/requests/alice-db.yaml @mallory not-an-owner
access/***/alice-db.yaml @mallory
access/requests/alice-db.yaml mallory
`;
const SKIPPED = "GitHub ignores this whole line";

describe("validate: CODEOWNERS lines GitHub skips", () => {
  it("reports codeowners.invalid-line at each line and column, keyed by the CODEOWNERS path, and fails", () => {
    const report = validateFiles([...POLICY_FILES, { path: "CODEOWNERS", content: CODEOWNERS }], [], NOW);
    expect(report.ok).toBe(false);
    expect(report.results).toEqual([
      { path: "policies/test.yaml", ok: true, errors: [] },
      {
        path: "CODEOWNERS",
        ok: false,
        errors: [
          {
            line: 3,
            column: 40,
            code: "codeowners.invalid-line",
            message: `line skipped (invalid owner): "not-an-owner" is not @user, @org/team or an email address; ${SKIPPED}`,
          },
          {
            line: 4,
            column: 1,
            code: "codeowners.invalid-line",
            message: `line skipped (invalid pattern): "access/***/alice-db.yaml" has "***"; patterns accept the wildcards *, ** and ?, never three or more stars in a row; ${SKIPPED}`,
          },
          {
            line: 5,
            column: 31,
            code: "codeowners.invalid-line",
            message: `line skipped (invalid owner): "mallory" is not @user, @org/team or an email address; ${SKIPPED}`,
          },
        ],
      },
    ]);
  });

  it("checks only the CODEOWNERS GitHub uses, and never loads it as policy", () => {
    const report = validateFiles(
      [
        ...POLICY_FILES,
        { path: "docs/CODEOWNERS", content: "* not-checked\n" },
        { path: ".github/CODEOWNERS", content: "* @acme/security\n" },
      ],
      [],
      NOW,
    );
    expect(report.ok).toBe(true);
    expect(report.results.map((r) => [r.path, r.ok])).toEqual([
      ["policies/test.yaml", true],
      [".github/CODEOWNERS", true],
    ]);
  });

  it("without a CODEOWNERS there is nothing to report", () => {
    expect(validateFiles(POLICY_FILES, [], NOW).results.map((r) => r.path)).toEqual(["policies/test.yaml"]);
  });
});
