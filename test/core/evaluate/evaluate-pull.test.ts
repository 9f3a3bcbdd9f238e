import { ownersOf, parseCodeowners } from "../../../core/codeowners.js";
import type { Decision } from "../../../core/evaluate/decision.js";
import { prepareBase, type PreparedBase } from "../../../core/evaluate/prepare-base.js";
import type { DirectorySnapshot, PullSnapshot } from "../../../core/evaluate/pull-snapshot.js";
import { parseTestCase } from "../../../core/policy-test-case.js";
import {
  BASE,
  CODEOWNERS,
  DB_READ,
  POLICY_PATH,
  POLICY_YAML,
  approved,
  baseTree,
  changed,
  changesRequested,
  commented,
  decide,
  directory,
  dismissed,
  policyEdit,
  pull,
  requestFile,
  verdict,
} from "./fixtures.js";

const POLICY_OWNERS = "  policyOwners:\n    - {name: security, count: 2, from: {teams: [acme/security]}}\n";
const SRE_PENDING = "alice-db: rule sre needs 1 approval from @acme/sre on the head commit c2; has 0";
const SRE_HOLDS = "alice-db: every approval rule holds on c2";
const BOB_BLOCKS = "alice-db: changes requested by bob; a dismissal or their approval lifts it";

interface Row {
  pr: PullSnapshot;
  dir?: DirectorySnapshot;
  base?: PreparedBase;
  now?: Date;
  decision: Decision["decision"];
  reasons: string[];
}

describe("evaluatePull", () => {
  const rows: Record<string, Row> = {
    "one SRE approval on the head approves": {
      pr: pull({ reviews: [approved("bob")] }),
      decision: "approved",
      reasons: [SRE_HOLDS],
    },
    "no review is pending": { pr: pull(), decision: "pending", reasons: [SRE_PENDING] },
    "an approval on an earlier commit is pending": {
      pr: pull({ reviews: [approved("bob", "c1")] }),
      decision: "pending",
      reasons: [SRE_PENDING],
    },
    "approval then changes requested: the latest review denies": {
      pr: pull({ reviews: [approved("bob"), changesRequested("bob")] }),
      decision: "denied",
      reasons: [SRE_PENDING, BOB_BLOCKS],
    },
    "changes requested then approval: the latest review counts": {
      pr: pull({ reviews: [changesRequested("bob", "c1"), approved("bob")] }),
      decision: "approved",
      reasons: [SRE_HOLDS],
    },
    "a comment after an approval keeps the approval": {
      pr: pull({ reviews: [approved("bob"), commented("bob")] }),
      decision: "approved",
      reasons: [SRE_HOLDS],
    },
    "a comment after changes requested keeps the block": {
      pr: pull({ reviews: [changesRequested("bob"), commented("bob"), approved("carol")] }),
      decision: "denied",
      reasons: [BOB_BLOCKS],
    },
    "a dismissed approval does not count": {
      pr: pull({ reviews: [dismissed("bob")] }),
      decision: "pending",
      reasons: [SRE_PENDING],
    },
    "changes requested hold across pushes": {
      pr: pull({ reviews: [changesRequested("bob", "c1"), approved("carol")] }),
      decision: "denied",
      reasons: [BOB_BLOCKS],
    },
    "a dismissed changes request no longer blocks": {
      pr: pull({ reviews: [dismissed("bob", "c1"), approved("carol")] }),
      decision: "approved",
      reasons: [SRE_HOLDS],
    },
    "changes requested by someone who could not approve do not deny": {
      pr: pull({ reviews: [changesRequested("dave"), approved("bob")] }),
      decision: "approved",
      reasons: [SRE_HOLDS],
    },
    "changes requested by a commit author do not deny (they could never count)": {
      pr: pull({
        commits: [
          { sha: "c1", author: "alice" },
          { sha: "c2", author: "bob" },
        ],
        reviews: [changesRequested("bob"), approved("carol")],
      }),
      decision: "approved",
      reasons: [SRE_HOLDS],
    },
    "labels grant nothing": {
      pr: pull({ labels: ["approved", "lgtm", "jitops/approved"] }),
      decision: "pending",
      reasons: [SRE_PENDING],
    },
    "a reviewer missing from the directory is ignored": {
      pr: pull({ reviews: [approved("mallory")] }),
      dir: directory({ teams: { "acme/sre": ["bob", "carol", "mallory"] } }),
      decision: "pending",
      reasons: [SRE_PENDING],
    },
    "removing request files only is approved with no review": {
      pr: pull({ files: [changed("access/requests/alice-db.yaml", "", "removed")] }),
      decision: "approved",
      reasons: ["removes 1 request: removal needs no approval"],
    },
    "a pull request without files is denied": {
      pr: pull({ files: [] }),
      decision: "denied",
      reasons: ["the pull request changes no file"],
    },
    "approval none is approved at once": {
      pr: pull({ files: [requestFile("alice-staging", { entitlement: "staging", duration: "1d" })] }),
      decision: "approved",
      reasons: ["alice-staging: staging needs no approval"],
    },
    "break-glass within its limit is approved with no review": {
      pr: pull({ files: [requestFile("alice-db", { ...DB_READ, duration: "1h", breakGlass: true })] }),
      decision: "approved",
      reasons: ["alice-db: break-glass within 1h: granted without approval; a post-incident review follows"],
    },
    "an extension (modified request) needs approval like a new one": {
      pr: pull({ files: [requestFile("alice-db", { ...DB_READ, duration: "8h" }, "modified")] }),
      decision: "pending",
      reasons: [SRE_PENDING],
    },
    "a count 2 rule needs two distinct people": {
      pr: pull({
        files: [requestFile("alice-leads", { entitlement: "leads", duration: "1h" })],
        reviews: [approved("bob"), approved("frank")],
      }),
      decision: "approved",
      reasons: ["alice-leads: every approval rule holds on c2"],
    },
    "a count 2 rule with one approval is pending": {
      pr: pull({
        files: [requestFile("alice-leads", { entitlement: "leads", duration: "1h" })],
        reviews: [approved("bob"), approved("bob")],
      }),
      decision: "pending",
      reasons: ["alice-leads: rule leads needs 2 approvals from @acme/leads on the head commit c2; has 1"],
    },
    "db-admin: a code owner and an SRE approve": {
      pr: pull({
        author: "carol",
        files: [requestFile("carol-admin", { entitlement: "db-admin", duration: "1h" })],
        reviews: [approved("dave"), approved("bob")],
      }),
      decision: "approved",
      reasons: ["carol-admin: every approval rule holds on c2"],
    },
    "db-admin: a code owner alone leaves the sre rule pending": {
      pr: pull({
        author: "carol",
        files: [requestFile("carol-admin", { entitlement: "db-admin", duration: "1h" })],
        reviews: [approved("dave")],
      }),
      decision: "pending",
      reasons: ["carol-admin: rule sre needs 1 approval from @acme/sre on the head commit c2; has 0"],
    },
    "several requests: the strictest decision wins": {
      pr: pull({
        files: [
          requestFile("alice-staging", { entitlement: "staging", duration: "1d" }),
          requestFile("alice-db"),
        ],
      }),
      decision: "pending",
      reasons: ["alice-staging: staging needs no approval", SRE_PENDING],
    },
    "a requester who is not eligible is denied": {
      pr: pull({ author: "carol", files: [requestFile("carol-db")], reviews: [approved("bob")] }),
      decision: "denied",
      reasons: ["carol-db: carol is not eligible for db-read; eligible: @acme/backend"],
    },
    "a rule whose only approver is the author is denied": {
      pr: pull({
        author: "carol",
        files: [requestFile("carol-solo", { entitlement: "solo", duration: "1h" })],
        reviews: [approved("carol")],
      }),
      dir: directory({ teams: { "acme/backend": ["alice", "carol"] } }),
      decision: "denied",
      reasons: [
        "carol-solo: rule carol-only needs 1 approval but only 0 eligible reviewers other than the author and commit authors exist",
      ],
    },
    "a policy change with two security approvals is approved": {
      pr: pull({
        author: "erin",
        files: [policyEdit((y) => y.replace("maxDuration: 8h", "maxDuration: 6h"))],
        reviews: [approved("frank"), approved("grace")],
      }),
      decision: "approved",
      reasons: ["policy change: every approval rule holds on c2"],
    },
    "a policy change with one security approval is pending": {
      pr: pull({
        author: "erin",
        files: [policyEdit((y) => y.replace("maxDuration: 8h", "maxDuration: 6h"))],
        reviews: [approved("frank")],
      }),
      decision: "pending",
      reasons: [
        "policy change: rule security needs 2 approvals from @acme/security on the head commit c2; has 1",
      ],
    },
    "a policy change whose head policy is invalid is invalid": {
      pr: pull({
        author: "erin",
        files: [policyEdit((y) => y.replace("maxDuration: 8h", "maxDuration: forever"))],
        reviews: [approved("frank"), approved("grace")],
      }),
      decision: "invalid",
      reasons: [
        `${POLICY_PATH}:18:20 duration.invalid: maxDuration "forever" is not a positive duration; use (Nd)(Nh)(Nm), e.g. 30m, 4h, 1h30m, 2d`,
      ],
    },
    "a request with a README is denied": {
      pr: pull({ files: [requestFile("alice-db"), changed("README.md")], reviews: [approved("bob")] }),
      decision: "denied",
      reasons: [
        "a request is mixed with files outside access/requests/ (README.md); open them as separate pull requests",
      ],
    },
  };

  it.each(Object.entries(rows))("%s", (_title, row) => {
    const d = decide(row.pr, { ...(row.base && { base: row.base }), ...(row.dir && { dir: row.dir }) });
    expect(verdict(d)).toEqual({ decision: row.decision, reasons: row.reasons });
  });

  it("reports each rule's need, have and approvers", () => {
    const d = decide(
      pull({
        author: "carol",
        files: [requestFile("carol-admin", { entitlement: "db-admin", duration: "1h" })],
        reviews: [approved("bob")],
      }),
    );
    expect(d.requests).toEqual([
      expect.objectContaining({
        path: "access/requests/carol-admin.yaml",
        entitlement: "db-admin",
        principal: "user:carol@acme.example",
        decision: "approved",
        rules: [
          expect.objectContaining({ name: "sre", need: 1, have: 1, approvers: ["bob"] }),
          expect.objectContaining({ name: "owners", need: 1, have: 1, approvers: ["bob"] }),
        ],
      }),
    ]);
  });

  it("auto-merges only approved PRs whose every request has autoMerge", () => {
    expect(decide(pull({ reviews: [approved("bob")] })).autoMerge).toBe(true);
    expect(decide(pull()).autoMerge).toBe(false);
    const mixed = pull({
      author: "carol",
      files: [requestFile("carol-admin", { entitlement: "db-admin", duration: "1h" })],
      reviews: [approved("bob")],
    });
    expect(decide(mixed)).toMatchObject({ decision: "approved", autoMerge: false });
  });
});

describe("security invariants of decisions (DESIGN.md)", () => {
  it("invariant: policy is read from the base commit, never from the PR", () => {
    // alice makes herself eligible for db-admin with no approval, and asks for it in the same PR.
    const selfService = policyEdit((y) =>
      y.replace(
        "      eligible: {teams: [acme/sre]}\n      maxDuration: 2h\n      approval:\n        - {name: sre, count: 1, from: {teams: [acme/sre]}}\n        - {name: owners, count: 1, from: {codeowners: true}}",
        "      eligible: {teams: [acme/sre], users: [alice]}\n      maxDuration: 2h\n      approval: none",
      ),
    );
    const both = decide(
      pull({ files: [selfService, requestFile("alice-admin", { entitlement: "db-admin", duration: "1h" })] }),
    );
    expect(both.decision).toBe("denied");

    // A policy change that lowers policyOwners to one approval from bob is still judged by the base's 2 security.
    const lowerOwners = policyEdit((y) =>
      y.replace(
        "{name: security, count: 2, from: {teams: [acme/security]}}",
        "{name: security, count: 1, from: {users: [bob]}}",
      ),
    );
    expect(verdict(decide(pull({ files: [lowerOwners], reviews: [approved("bob")] })))).toEqual({
      decision: "pending",
      reasons: [
        "policy change: rule security needs 2 approvals from @acme/security on the head commit c2; has 0",
      ],
    });

    // The same request is judged by whichever base it is evaluated against.
    const req = pull({ files: [requestFile("alice-admin", { entitlement: "db-admin", duration: "1h" })] });
    expect(decide(req).decision).toBe("denied");
    const laxBase = prepareBase(baseTree({ [POLICY_PATH]: selfService.content! }));
    expect(verdict(decide(req, { base: laxBase }))).toEqual({
      decision: "approved",
      reasons: ["alice-admin: db-admin needs no approval"],
    });

    // A CODEOWNERS edit in the PR does not change who owns request files: the base's CODEOWNERS rules.
    const adminReq = pull({
      author: "carol",
      files: [requestFile("carol-admin", { entitlement: "db-admin", duration: "1h" })],
      reviews: [approved("bob")],
    });
    const ownedByErin = prepareBase(baseTree({ CODEOWNERS: "/access/requests/ @erin\n" }));
    expect(decide(adminReq, { base: ownedByErin }).decision).toBe("pending");
    expect(decide(adminReq).decision).toBe("approved");
  });

  it("invariant: a PR changing policy and adding a request is refused", () => {
    const edit = policyEdit((y) => y.replace("maxDuration: 8h", "maxDuration: 6h"));
    const everyone = [approved("bob"), approved("frank"), approved("grace")];
    const refused = (files: PullSnapshot["files"]) => verdict(decide(pull({ files, reviews: everyone })));
    const policyReason = (paths: string) =>
      `a request is mixed with a policy change (${paths}); open them as separate pull requests`;

    expect(refused([edit, requestFile("alice-db")])).toEqual({
      decision: "denied",
      reasons: [policyReason(POLICY_PATH)],
    });
    // extending an existing request counts as adding one
    expect(refused([requestFile("alice-db", DB_READ, "modified"), edit])).toEqual({
      decision: "denied",
      reasons: [policyReason(POLICY_PATH)],
    });
    expect(refused([changed("CODEOWNERS", "* @alice\n"), requestFile("alice-db")])).toEqual({
      decision: "denied",
      reasons: [policyReason("CODEOWNERS")],
    });
    // a policy file renamed into a request path is both at once
    expect(
      refused([{ ...requestFile("alice-db"), status: "renamed", previousPath: "policies/old.yaml" }])
        .decision,
    ).toBe("denied");
    // a workflow next to a request is refused too
    expect(refused([requestFile("alice-db"), changed(".github/workflows/apply.yml")])).toEqual({
      decision: "denied",
      reasons: [
        "a request is mixed with files outside access/requests/ (.github/workflows/apply.yml); open them as separate pull requests",
      ],
    });
  });

  it("invariant: grant parameters come only from request files, never title/body/labels", () => {
    const plain = pull({ reviews: [approved("bob")] });
    const dressed = {
      ...plain,
      labels: ["approved", "breakGlass", "duration: 8h", "entitlement: db-admin"],
      // Not part of PullSnapshot: a source that leaked them must still change nothing.
      title: "entitlement: db-admin, duration: 2d, principal: user:bob@acme.example",
      body: "breakGlass: true\napproved-by: bob",
    } as PullSnapshot;
    expect(decide(dressed)).toEqual(decide(plain));
    expect(decide(dressed).requests).toEqual([
      expect.objectContaining({
        entitlement: "db-read",
        principal: "user:alice@acme.example",
        breakGlass: false,
      }),
    ]);
    // labels alone never approve
    expect(verdict(decide(pull({ labels: ["approved"] })))).toEqual({
      decision: "pending",
      reasons: [SRE_PENDING],
    });
  });

  it("invariant: the requester is the PR author; the principal must map to the author", () => {
    const forBob = pull({
      files: [requestFile("alice-db", { ...DB_READ, principal: "user:bob@acme.example" })],
      reviews: [approved("carol")],
    });
    expect(verdict(decide(forBob))).toEqual({
      decision: "denied",
      reasons: [
        "alice-db: principal user:bob@acme.example is not alice's, and db-read does not allow requesting for others",
      ],
    });
    const unmapped = pull({
      files: [requestFile("alice-db", { ...DB_READ, principal: "user:mallory@evil.example" })],
      reviews: [approved("carol")],
    });
    expect(verdict(decide(unmapped))).toEqual({
      decision: "denied",
      reasons: [
        "alice-db: principal user:mallory@evil.example is not mapped to any GitHub login in policy principals",
      ],
    });
    // eligibility is the author's: bob (sre) writing a db-read request in his own name is denied
    expect(decide(pull({ author: "bob", files: [requestFile("bob-db")] })).decision).toBe("denied");
    // the principal defaults to the author's own
    expect(decide(pull({ reviews: [approved("bob")] })).requests[0]?.principal).toBe(
      "user:alice@acme.example",
    );
    // requestForOthers: carol may ask for bob (also eligible); dave approves (he is an SRE here)
    const dir = directory({ teams: { "acme/sre": ["bob", "carol", "dave"] } });
    const onCall = pull({
      author: "carol",
      files: [
        requestFile("bob-debug", {
          entitlement: "debug",
          duration: "4h",
          principal: "user:bob@acme.example",
        }),
      ],
      reviews: [approved("dave")],
    });
    expect(decide(onCall, { dir })).toMatchObject({
      decision: "approved",
      requests: [{ principal: "user:bob@acme.example" }],
    });
    // ... but never for someone who is not eligible
    const forAlice = pull({
      author: "carol",
      files: [
        requestFile("alice-debug", {
          entitlement: "debug",
          duration: "4h",
          principal: "user:alice@acme.example",
        }),
      ],
      reviews: [approved("dave")],
    });
    expect(verdict(decide(forAlice, { dir }))).toEqual({
      decision: "denied",
      reasons: ["alice-debug: the grantee alice is not eligible for debug; eligible: @acme/sre"],
    });
  });

  it("invariant: self-approval never counts", () => {
    const dir = directory({ teams: { "acme/backend": ["alice", "bob"] } });
    const own = pull({ author: "bob", files: [requestFile("bob-db")], reviews: [approved("bob")] });
    expect(verdict(decide(own, { dir }))).toEqual({
      decision: "pending",
      reasons: ["bob-db: rule sre needs 1 approval from @acme/sre on the head commit c2; has 0"],
    });
    // the author under another login of the same id, or another letter case, is still the author
    const renamed = directory({
      users: { "bob-old": { id: 102 } },
      teams: { "acme/backend": ["alice", "bob"] },
    });
    const asOld = pull({
      author: "bob",
      files: [requestFile("bob-db")],
      reviews: [approved("bob-old"), approved("BOB")],
    });
    expect(decide(asOld, { dir: renamed }).decision).toBe("pending");
    // a security member's own approval of their policy change does not count either
    const change = pull({
      author: "frank",
      files: [policyEdit((y) => y.replace("maxDuration: 8h", "maxDuration: 6h"))],
      reviews: [approved("frank"), approved("grace")],
    });
    expect(decide(change).decision).toBe("pending");
  });

  it("invariant: approvals count only from the latest non-dismissed review", () => {
    const d = (reviews: PullSnapshot["reviews"]) => decide(pull({ reviews })).decision;
    expect(d([approved("bob"), changesRequested("bob")])).toBe("denied");
    expect(d([changesRequested("bob", "c1"), approved("bob")])).toBe("approved");
    expect(d([dismissed("bob")])).toBe("pending");
    expect(d([approved("bob"), commented("bob")])).toBe("approved");
    expect(d([dismissed("bob", "c1"), approved("carol")])).toBe("approved");
    expect(d([approved("bob"), { user: "bob", state: "PENDING", commit: "c2" }])).toBe("approved");
    expect(d([{ user: "bob", state: "PENDING", commit: "c2" }])).toBe("pending");
  });

  it("invariant: approvals count only on the current head SHA", () => {
    expect(verdict(decide(pull({ reviews: [approved("bob", "c1")] })))).toEqual({
      decision: "pending",
      reasons: [SRE_PENDING],
    });
    // the same review becomes valid only when it names the head
    expect(decide(pull({ head: "c1", reviews: [approved("bob", "c1")] })).decision).toBe("approved");
    // a comment on the head does not refresh an approval of an older commit
    expect(decide(pull({ reviews: [approved("bob", "c1"), commented("bob", "c2")] })).decision).toBe(
      "pending",
    );
    // a count 2 rule with one approval on the head and one on an older commit is pending
    const leads = pull({
      files: [requestFile("alice-leads", { entitlement: "leads", duration: "1h" })],
      reviews: [approved("bob", "c1"), approved("frank", "c2")],
    });
    expect(decide(leads).requests[0]?.rules[0]).toMatchObject({ need: 2, have: 1, approvers: ["frank"] });
  });

  it("invariant: reviewers are identified by numeric id", () => {
    const leads = (reviews: PullSnapshot["reviews"], dir: DirectorySnapshot) =>
      decide(
        pull({ files: [requestFile("alice-leads", { entitlement: "leads", duration: "1h" })], reviews }),
        {
          dir,
        },
      );
    // a renamed account (two logins, one id) counts once
    const renamed = directory({ users: { bobby: { id: 102 } } });
    expect(leads([approved("bob"), approved("bobby")], renamed).requests[0]?.rules[0]).toMatchObject({
      have: 1,
    });
    expect(leads([approved("bob"), approved("bobby")], renamed).decision).toBe("pending");
    // the new login of a team member counts as that member
    expect(decide(pull({ reviews: [approved("bobby")] }), { dir: renamed }).decision).toBe("approved");
    // a review carrying a numeric id is matched by the id, not by the login it shows
    expect(decide(pull({ reviews: [{ ...approved("someone-new"), userId: 102 }] })).decision).toBe(
      "approved",
    );
    expect(decide(pull({ reviews: [{ ...approved("bob"), userId: 9999 }] })).decision).toBe("pending");
    // logins compare case-insensitively
    expect(decide(pull({ reviews: [approved("BoB")] })).decision).toBe("approved");
  });

  it("invariant: bot approvals never count", () => {
    // a Bot account by type, and a "[bot]" login without a type, both in the approving team
    const dir = directory({
      users: { "helper-app": { id: 3000, type: "Bot" }, "sneaky[bot]": { id: 3001 } },
      teams: { "acme/sre": ["bob", "carol", "renovate[bot]", "helper-app", "sneaky[bot]"] },
    });
    const bots = [approved("renovate[bot]"), approved("helper-app"), approved("sneaky[bot]")];
    expect(verdict(decide(pull({ reviews: bots }), { dir }))).toEqual({
      decision: "pending",
      reasons: [SRE_PENDING],
    });
    expect(decide(pull({ reviews: bots }), { dir }).requests[0]?.rules[0]).toMatchObject({
      have: 0,
      approvers: [],
    });
    // nor does a bot's changes request block
    const blocked = pull({ reviews: [changesRequested("renovate[bot]"), approved("bob")] });
    expect(decide(blocked, { dir }).decision).toBe("approved");
  });

  it("invariant: commit authors' approvals never count", () => {
    const coAuthored = (commits: PullSnapshot["commits"]) =>
      verdict(decide(pull({ commits, reviews: [approved("bob")] })));
    expect(
      coAuthored([
        { sha: "c1", author: "alice" },
        { sha: "c2", author: "bob" },
      ]),
    ).toEqual({ decision: "pending", reasons: [SRE_PENDING] });
    // by numeric id, even when GitHub shows no login for the commit author
    expect(
      coAuthored([
        { sha: "c1", author: "alice" },
        { sha: "c2", author: null, authorId: 102 },
      ]),
    ).toEqual({ decision: "pending", reasons: [SRE_PENDING] });
    // the only other SRE authored a commit too: nobody is left to approve
    expect(
      coAuthored([
        { sha: "c1", author: "carol" },
        { sha: "c2", author: "bob" },
      ]),
    ).toEqual({
      decision: "denied",
      reasons: [
        "alice-db: rule sre needs 1 approval but only 0 eligible reviewers other than the author and commit authors exist",
      ],
    });
  });

  it("invariant: fail closed: unknown entitlement / unreadable policy / missing directory data / a rule that matched nothing is never approved, always with a reason", () => {
    const allApprove = [approved("bob"), approved("carol"), approved("dave"), approved("frank")];
    const cases: [string, Decision][] = [
      [
        "unknown entitlement",
        decide(pull({ files: [requestFile("alice-db", { ...DB_READ, entitlement: "db-write" })] })),
      ],
      [
        "unreadable base policy",
        decide(pull({ reviews: allApprove }), {
          base: prepareBase(baseTree({ [POLICY_PATH]: "apiVersion: jitops.dev/v1\nkind: [" })),
        }),
      ],
      [
        "base policy with a schema error",
        decide(pull({ reviews: allApprove }), {
          base: prepareBase(
            baseTree({ [POLICY_PATH]: POLICY_YAML.replace("  name: base", "  name: base\n  x: 1") }),
          ),
        }),
      ],
      ["no policy at all in the base", decide(pull({ reviews: allApprove }), { base: prepareBase([]) })],
      [
        "author missing from the directory",
        decide(pull({ reviews: allApprove }), { dir: directory({ without: ["alice"] }) }),
      ],
      [
        "approving team missing from the directory",
        decide(pull({ reviews: allApprove }), { dir: directory({ teams: { "acme/sre": undefined } }) }),
      ],
      [
        "codeowners rule that matched no owner",
        decide(
          pull({
            author: "carol",
            files: [requestFile("carol-admin", { entitlement: "db-admin", duration: "1h" })],
            reviews: allApprove,
          }),
          { base: prepareBase(baseTree({ CODEOWNERS: "/docs/ @acme/docs\n" })) },
        ),
      ],
      [
        "codeowners rule with no CODEOWNERS file",
        decide(
          pull({
            author: "carol",
            files: [requestFile("carol-admin", { entitlement: "db-admin", duration: "1h" })],
            reviews: allApprove,
          }),
          { base: prepareBase([{ path: POLICY_PATH, content: POLICY_YAML }]) },
        ),
      ],
      ["file list truncated", decide(pull({ reviews: allApprove, truncated: "files" }))],
      [
        "policy change without policyOwners",
        decide(pull({ files: [changed("README.md")], reviews: allApprove }), {
          base: prepareBase(baseTree({ [POLICY_PATH]: POLICY_YAML.replace(POLICY_OWNERS, "") })),
        }),
      ],
    ];
    const summary = Object.fromEntries(cases.map(([what, d]) => [what, d.decision]));
    expect(summary).toEqual({
      "unknown entitlement": "invalid",
      "unreadable base policy": "invalid",
      "base policy with a schema error": "invalid",
      "no policy at all in the base": "invalid",
      "author missing from the directory": "denied",
      "approving team missing from the directory": "denied",
      "codeowners rule that matched no owner": "denied",
      "codeowners rule with no CODEOWNERS file": "denied",
      "file list truncated": "denied",
      "policy change without policyOwners": "denied",
    });
    for (const [what, d] of cases) {
      expect([what, d.reasons.length > 0 && d.reasons.every((r) => r.trim().length > 0)]).toEqual([
        what,
        true,
      ]);
      expect([what, d.autoMerge]).toEqual([what, false]);
    }
    expect(cases[0]![1].reasons[0]).toContain("entitlement.unknown");
    expect(cases[1]![1].reasons[0]).toMatch(/^base policy policies\/base\.yaml:\d+:\d+ yaml\.syntax: /);
    expect(cases[2]![1].reasons[0]).toContain("schema.additional");
    expect(cases[4]![1].reasons).toEqual([
      "alice-db: the author alice is not in the directory, so their identity cannot be checked",
    ]);
    expect(cases[9]![1].reasons).toEqual([
      "the base policy declares no policyOwners, so no one can approve a change to policy or repository files",
    ]);
    expect(cases[6]![1].reasons).toEqual([
      "carol-admin: rule owners needs 1 approval but only 0 eligible reviewers other than the author and commit authors exist",
    ]);
  });

  it("invariant: durations are bounded by maxDuration and absolute times must be in the future", () => {
    const withSpec = (spec: Record<string, string | boolean>) =>
      decide(pull({ files: [requestFile("alice-db", { ...DB_READ, ...spec })], reviews: [approved("bob")] }));
    const codes = (d: Decision) => d.reasons.map((r) => / ([a-z]+\.[a-z-]+): /.exec(r)?.[1] ?? r);

    expect(withSpec({ duration: "8h" }).decision).toBe("approved");
    expect(codes(withSpec({ duration: "8h1m" }))).toEqual(["duration.exceeds-max"]);
    expect(codes(withSpec({ duration: "2d" }))).toEqual(["duration.exceeds-max"]);
    expect(codes(withSpec({ duration: "0m" }))).toEqual(["duration.invalid"]);
    expect(codes(withSpec({ duration: "-1h" }))).toEqual(["duration.invalid"]);
    // break-glass has its own, lower, bound
    expect(withSpec({ duration: "1h", breakGlass: true }).decision).toBe("approved");
    expect(verdict(withSpec({ duration: "2h", breakGlass: true }))).toEqual({
      decision: "invalid",
      reasons: [
        "access/requests/alice-db.yaml:7:13 duration.exceeds-max: duration 2h exceeds the break-glass maximum 1h of entitlement db-read",
      ],
    });
    expect(codes(withSpec({ start: "2026-11-24T09:59:59Z" }))).toEqual(["start.invalid"]);
    expect(codes(withSpec({ start: "2026-11-24T10:00:00Z" }))).toEqual(["start.invalid"]);
    expect(codes(withSpec({ start: "2026-11-25 09:00" }))).toEqual(["start.invalid"]);
    expect(withSpec({ start: "2026-11-24T10:00:01Z" }).decision).toBe("approved");
    expect(withSpec({ start: "2026-11-25T09:00:00+01:00" }).decision).toBe("approved");
  });
});

describe("CODEOWNERS", () => {
  const owners = (text: string, path: string) => ownersOf(parseCodeowners(text).rules, path);

  it("the last matching line wins", () => {
    const text = "*  @acme/security\n/access/requests/  @acme/sre\n/access/requests/*.yaml  @dave\n";
    expect(owners(text, "access/requests/a.yaml")).toEqual(["@dave"]);
    expect(owners(text, "access/requests/README.md")).toEqual(["@acme/sre"]);
    expect(owners(text, "README.md")).toEqual(["@acme/security"]);
    // order matters: the broad rule last overrides the specific one
    expect(owners("/access/requests/ @acme/sre\n* @acme/security\n", "access/requests/a.yaml")).toEqual([
      "@acme/security",
    ]);
  });

  it("keeps team, user and email owners in order", () => {
    expect(owners("/access/ @acme/sre @dave ops@acme.example\n", "access/requests/a.yaml")).toEqual([
      "@acme/sre",
      "@dave",
      "ops@acme.example",
    ]);
  });

  it("a matching line without owners leaves the path unowned", () => {
    expect(owners("* @acme/security\n/access/requests/\n", "access/requests/a.yaml")).toEqual([]);
  });

  it("matches directory patterns at any depth, anchored or not", () => {
    expect(owners("/build/logs/ @doctocat\n", "build/logs/a/b/c.log")).toEqual(["@doctocat"]);
    expect(owners("/build/logs/ @doctocat\n", "src/build/logs/c.log")).toEqual([]);
    expect(owners("apps/ @octocat\n", "x/y/apps/main.ts")).toEqual(["@octocat"]);
    expect(owners("*.yaml @yaml-owner\n", "access/requests/a.yaml")).toEqual(["@yaml-owner"]);
    expect(owners("* @everyone\n", "deep/nested/file.txt")).toEqual(["@everyone"]);
    expect(owners("/docs/ @docs\n", "access/requests/a.yaml")).toEqual([]);
  });

  it("skips comments, blank lines and unsupported syntax", () => {
    const text = "# owners\n\n* @acme/security # default\n!access/ @nobody\n[abc] @nobody\n";
    expect(parseCodeowners(text).rules.map((r) => r.pattern)).toEqual(["*"]);
    expect(owners(text, "access/requests/a.yaml")).toEqual(["@acme/security"]);
  });

  // GitHub: "The `docs/*` pattern will match files like `docs/getting-started.md` but not further
  // nested files like `docs/build-app/troubleshooting.md`." (about-code-owners, CODEOWNERS syntax)
  it("a trailing /* matches direct children only, as on GitHub", () => {
    expect(owners("docs/* @docs\n", "docs/getting-started.md")).toEqual(["@docs"]);
    expect(owners("docs/* @docs\n", "docs/build-app/troubleshooting.md")).toEqual([]);
    expect(owners("/access/requests/ @acme/sre\n/access/* @dave\n", "access/requests/a.yaml")).toEqual([
      "@acme/sre",
    ]);
  });

  // GitHub: "CODEOWNERS paths are case sensitive, because GitHub uses a case sensitive file system."
  it("paths are case sensitive, as on GitHub", () => {
    expect(owners("/access/requests/ @acme/sre\n/ACCESS/ @dave\n", "access/requests/a.yaml")).toEqual([
      "@acme/sre",
    ]);
  });

  it("the base's .github/CODEOWNERS takes precedence over CODEOWNERS", () => {
    const base = prepareBase([
      { path: POLICY_PATH, content: POLICY_YAML },
      { path: "CODEOWNERS", content: CODEOWNERS },
      { path: ".github/CODEOWNERS", content: "/access/requests/ @erin\n" },
    ]);
    expect(ownersOf(base.codeowners.rules, "access/requests/a.yaml")).toEqual(["@erin"]);
    expect(ownersOf(BASE.codeowners.rules, "access/requests/a.yaml")).toEqual([
      "@acme/sre",
      "@acme/db-owners",
    ]);
  });
});

describe("parseTestCase", () => {
  const VALID = `name: a case
now: 2026-11-24T10:00:00Z
pr:
  author: alice
  head: c2
  files:
    - {path: access/requests/a.yaml, status: added, content: "x"}
  commits: [{sha: c2, author: alice}]
  reviews:
    - {user: bob, state: APPROVED, commit: c2}
  labels: [x]
directory:
  users: {alice: {id: 101}, bob: {id: 102}, "r[bot]": {id: 3, type: Bot}}
  teams: {acme/sre: [bob]}
expect:
  decision: approved
  reason: holds
`;

  it("parses a valid case", () => {
    const r = parseTestCase(VALID);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value).toMatchObject({
      name: "a case",
      base: undefined,
      pr: {
        author: "alice",
        head: "c2",
        files: [{ path: "access/requests/a.yaml", status: "added", content: "x" }],
        commits: [{ sha: "c2", author: "alice" }],
        reviews: [{ user: "bob", state: "APPROVED", commit: "c2" }],
        labels: ["x"],
      },
      directory: { users: { "r[bot]": { id: 3, type: "Bot" } }, teams: { "acme/sre": ["bob"] } },
      expect: { decision: "approved", reason: "holds" },
    });
    expect(r.value.now.toISOString()).toBe("2026-11-24T10:00:00.000Z");
  });

  const errorOf = (source: string) => {
    const r = parseTestCase(source);
    return r.ok ? "ok" : r.errors.map((e) => `${e.line}:${e.column} ${e.code}`);
  };

  it.each([
    [
      "an unknown top-level key",
      VALID.replace("name: a case", "name: a case\ntitle: x"),
      ["2:8 schema.additional"],
    ],
    ["a bad now", VALID.replace("now: 2026-11-24T10:00:00Z", "now: tomorrow"), ["2:6 case.invalid"]],
    ["an unknown decision", VALID.replace("decision: approved", "decision: maybe"), ["16:13 case.invalid"]],
    ["an unknown file status", VALID.replace("status: added", "status: created"), ["7:46 case.invalid"]],
    ["an unknown review state", VALID.replace("state: APPROVED", "state: LGTM"), ["10:26 case.invalid"]],
    [
      "a user without a numeric id",
      VALID.replace("bob: {id: 102}", 'bob: {id: "102"}'),
      ["13:34 case.invalid"],
    ],
    ["an empty author", VALID.replace("author: alice\n", 'author: ""\n'), ["4:11 case.invalid"]],
    ["a YAML syntax error", VALID.replace("labels: [x]", "labels: [x"), ["12:1 yaml.syntax"]],
  ])("reports %s with its position", (_what, source, expected) => {
    expect(errorOf(source)).toEqual(expected);
  });

  it("rejects a document that is not a mapping", () => {
    expect(errorOf("- a\n- b\n")).toEqual(["1:1 case.invalid"]);
  });
});
