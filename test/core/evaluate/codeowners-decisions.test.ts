/**
 * CODEOWNERS lines GitHub skips, end to end through evaluatePull: they never add nor remove a code
 * owner, and the check run lists them whenever a rule reading code owners is in play.
 */
import type { Decision } from "../../../core/evaluate/decision.js";
import { prepareBase } from "../../../core/evaluate/prepare-base.js";
import { teamsToResolve } from "../../../core/evaluate/teams-to-resolve.js";
import { renderCheck } from "../../../core/render-check.js";
import { approved, baseTree, decide, directory, pull, requestFile, verdict } from "./fixtures.js";

// carol (acme/sre) asks for db-admin: one SRE (bob) and one code owner of the request file must approve.
const REQUEST = requestFile("carol-admin", { entitlement: "db-admin", duration: "1h" });
const PATH = "access/requests/carol-admin.yaml";
const DIR = directory({ users: { mallory: { id: 199 } }, teams: { "acme/evil": ["mallory"] } });
const OWNED_BY_DB_OWNERS = "*  @acme/security\n/access/requests/  @acme/db-owners\n";
const OWNERS_PENDING =
  "carol-admin: rule owners needs 1 approval from @acme/db-owners on the head commit c2; has 0";
const HOLDS = "carol-admin: every approval rule holds on c2";

function decideWith(codeowners: Record<string, string>, reviewers: string[]): Decision {
  return decide(pull({ author: "carol", files: [REQUEST], reviews: reviewers.map((r) => approved(r)) }), {
    base: prepareBase(baseTree(codeowners)),
    dir: DIR,
  });
}

const invalidOwner = (token: string) =>
  `line skipped (invalid owner): "${token}" is not @user, @org/team or an email address; GitHub ignores this whole line`;

describe("invariant: a malformed CODEOWNERS line never adds an owner", () => {
  it("an invalid owner after mallory: the line is skipped, mallory's approval does not count", () => {
    const line = `${PATH} @mallory not-an-owner`;
    const d = decideWith({ CODEOWNERS: `${OWNED_BY_DB_OWNERS}${line}\n` }, ["bob", "mallory"]);
    expect(verdict(d)).toEqual({ decision: "pending", reasons: [OWNERS_PENDING] });
    expect(d.requests[0]!.rules[1]).toMatchObject({
      name: "owners",
      have: 0,
      candidates: { teams: ["acme/db-owners"], users: [] },
      codeowners: {
        path: "CODEOWNERS",
        skipped: [
          { line: 3, column: 43, code: "codeowners.invalid-line", message: invalidOwner("not-an-owner") },
        ],
      },
    });
  });

  it("a run of three stars: the line is skipped, mallory's approval does not count", () => {
    const d = decideWith({ CODEOWNERS: `${OWNED_BY_DB_OWNERS}access/***/carol-admin.yaml @mallory\n` }, [
      "bob",
      "mallory",
    ]);
    expect(verdict(d)).toEqual({ decision: "pending", reasons: [OWNERS_PENDING] });
  });

  it("an owner with an inline # not after a space: the line is skipped", () => {
    const d = decideWith({ CODEOWNERS: `${OWNED_BY_DB_OWNERS}${PATH} @mallory#until-friday\n` }, [
      "bob",
      "mallory",
    ]);
    expect(verdict(d)).toEqual({ decision: "pending", reasons: [OWNERS_PENDING] });
  });

  it("a skipped line names no team to fetch", () => {
    const base = prepareBase(baseTree({ CODEOWNERS: `${OWNED_BY_DB_OWNERS}${PATH} @acme/evil bad\n` }));
    expect(teamsToResolve(base, [REQUEST])).toEqual(["acme/db-owners", "acme/sre"]);
  });

  it("the same line written correctly does add mallory (the cases above can fail)", () => {
    const d = decideWith({ CODEOWNERS: `${OWNED_BY_DB_OWNERS}${PATH} @mallory\n` }, ["bob", "mallory"]);
    expect(verdict(d)).toEqual({ decision: "approved", reasons: [HOLDS] });
  });
});

describe("invariant: a malformed CODEOWNERS line never removes an owner", () => {
  it("a login without @: the line is skipped, the earlier owner keeps the file", () => {
    const text = `/access/requests/ @acme/db-owners\n${PATH} mallory\n`;
    expect(verdict(decideWith({ CODEOWNERS: text }, ["bob", "dave"]))).toEqual({
      decision: "approved",
      reasons: [HOLDS],
    });
    const byMallory = decideWith({ CODEOWNERS: text }, ["bob", "mallory"]);
    expect(verdict(byMallory)).toEqual({ decision: "pending", reasons: [OWNERS_PENDING] });
    expect(byMallory.requests[0]!.rules[1]!.codeowners).toEqual({
      path: "CODEOWNERS",
      skipped: [{ line: 2, column: 34, code: "codeowners.invalid-line", message: invalidOwner("mallory") }],
    });
  });

  it("the same line with no owners at all does un-own the file (the case above can fail)", () => {
    const d = decideWith({ CODEOWNERS: `/access/requests/ @acme/db-owners\n${PATH}\n` }, ["bob", "dave"]);
    expect(d.decision).toBe("denied");
  });
});

describe("skipped CODEOWNERS lines in the check run", () => {
  it("are listed once each, with the file GitHub reads, when a codeowners rule is in play", () => {
    const d = decideWith(
      {
        CODEOWNERS: "* @nobody-reads-this\n",
        ".github/CODEOWNERS": `${OWNED_BY_DB_OWNERS}${PATH} @mallory not-an-owner\n!docs/ @x\n`,
      },
      ["bob", "dave"],
    );
    expect(verdict(d)).toEqual({ decision: "approved", reasons: [HOLDS] });
    const summary = renderCheck(d, "c2").summary;
    expect(summary).toContain(
      [
        "**CODEOWNERS lines GitHub skips:** they make no one a code owner, on GitHub or here; fix them so they own what was meant.",
        "",
        `- \`.github/CODEOWNERS:3:43\` codeowners.invalid-line: ${invalidOwner("not-an-owner")}`,
        '- `.github/CODEOWNERS:4:1` codeowners.invalid-line: line skipped (invalid pattern): "!docs/" starts with "!"; CODEOWNERS has no negation; a later line with the pattern and no owners un-owns it; GitHub ignores this whole line',
        "",
        "**Next:**",
      ].join("\n"),
    );
  });

  it("are not listed when no rule reads code owners, nor carried on other rules", () => {
    const d = decide(pull({ reviews: [approved("bob")] }), {
      base: prepareBase(baseTree({ CODEOWNERS: `${OWNED_BY_DB_OWNERS}* bad\n` })),
    });
    expect(d.decision).toBe("approved");
    expect(d.requests[0]!.rules[0]!.codeowners).toBeUndefined();
    expect(renderCheck(d, "c2").summary).not.toContain("CODEOWNERS");
  });

  it("a clean CODEOWNERS adds nothing to the decision", () => {
    const d = decideWith({ CODEOWNERS: OWNED_BY_DB_OWNERS }, ["bob", "dave"]);
    expect(d.requests[0]!.rules.map((r) => r.codeowners)).toEqual([undefined, undefined]);
  });
});
