import { parseTestCase } from "../../core/policy-test-case.js";

const CASE = (base: string) => `name: a case
now: 2026-11-24T10:00:00Z
base:
${base}
pr:
  author: alice
  head: c2
  files: []
  commits: []
  reviews: []
directory:
  users: {alice: {id: 101}}
  teams: {}
expect:
  decision: denied
`;

describe("parseTestCase: CODEOWNERS in the base tree", () => {
  it("accepts GitHub's three locations", () => {
    const r = parseTestCase(
      CASE('  .github/CODEOWNERS: "* @a\\n"\n  CODEOWNERS: "* @b\\n"\n  docs/CODEOWNERS: "* @c\\n"'),
    );
    expect(r.ok).toBe(true);
  });

  it("reports a CODEOWNERS GitHub never reads, at its key", () => {
    const r = parseTestCase(
      CASE('  CODEOWNERS: "* @a\\n"\n  .gitlab/CODEOWNERS: "* @b\\n"\n  codeowners: ""'),
    );
    expect(r).toEqual({
      ok: false,
      errors: [
        {
          line: 5,
          column: 3,
          code: "case.codeowners-location",
          message:
            "base file .gitlab/CODEOWNERS is not read as CODEOWNERS; GitHub reads the first of .github/CODEOWNERS, CODEOWNERS, docs/CODEOWNERS",
        },
        {
          line: 6,
          column: 3,
          code: "case.codeowners-location",
          message:
            "base file codeowners is not read as CODEOWNERS; GitHub reads the first of .github/CODEOWNERS, CODEOWNERS, docs/CODEOWNERS",
        },
      ],
    });
  });
});
