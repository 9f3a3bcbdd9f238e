import type { ChangedFile } from "../../../core/evaluate/pull-snapshot.js";
import { renderCheck } from "../../../core/render-check.js";
import { certifiedBase, RECORD_PATH, recordYaml } from "../certification/certification-fixtures.js";
import { approved, decide, DIRECTORY, pull, requestFile } from "./fixtures.js";

const NOW = new Date("2026-11-24T10:00:00Z");
const LAST = "2026-09-01T10:00:00Z";
/** The base: db-read certified on LAST (due 2026-11-30), the rest never. */
const BASE = certifiedBase(recordYaml(LAST));
const record = (content = recordYaml("2026-11-24T10:00:00Z", undefined, LAST)): ChangedFile => ({
  path: RECORD_PATH,
  status: "modified",
  content,
});
/** A certification PR opened by the jitops App (its commits by the App too). */
const certPull = (reviews = [approved("frank")], files = [record()]) =>
  pull({
    author: "jitops[bot]",
    files,
    commits: [{ sha: "c2", author: "jitops[bot]" }],
    reviews,
  });
const dir = {
  ...DIRECTORY,
  users: { ...DIRECTORY.users, "jitops[bot]": { id: 9000, type: "Bot" as const } },
};
const at = (now = NOW) => ({ base: BASE, dir, now });

describe("certification pull requests, decided by the base policy's certification reviewers", () => {
  it("one approval from acme/security on the head commit approves it, and the bot may merge it", () => {
    const d = decide(certPull(), at());
    expect(d.decision).toBe("approved");
    expect(d.autoMerge).toBe(true);
    expect(d.certification).toEqual({ policies: ["base"] });
    expect(d.policy?.rules).toEqual([
      expect.objectContaining({ name: "security", need: 1, have: 1, approvers: ["frank"] }),
    ]);
    expect(renderCheck(d, "c2").summary).toContain("| certification | security |");
  });

  it("without it, it is pending on acme/security", () => {
    const d = decide(certPull([]), at());
    expect(d.decision).toBe("pending");
    expect(d.reasons.join()).toContain(
      "certification base: rule security needs 1 approval from @acme/security",
    );
  });

  it("invariant: a certification approval counts only on the current head SHA", () => {
    expect(decide(certPull([approved("frank", "c1")]), at()).decision).toBe("pending");
  });

  it("invariant: self-approval never counts on a certification", () => {
    const byFrank = pull({
      author: "frank",
      files: [record()],
      commits: [{ sha: "c2", author: "frank" }],
      reviews: [approved("frank"), approved("frank")],
    });
    expect(decide(byFrank, at()).decision).toBe("pending");
    // A commit author is excluded as well.
    const committed = certPull([approved("grace")]);
    committed.commits.push({ sha: "c2", author: "grace" });
    expect(decide(committed, at()).decision).toBe("pending");
  });

  it("invariant: a bot's approval never counts on a certification, even from the reviewers' team", () => {
    const botDir = {
      ...dir,
      teams: { ...dir.teams, "acme/security": [...dir.teams["acme/security"]!, "renovate[bot]"] },
    };
    expect(decide(certPull([approved("renovate[bot]")]), { ...at(), dir: botDir }).decision).toBe("pending");
  });

  it("invariant: a certification mixed with a request is refused like a policy change mixed with a request", () => {
    const d = decide(
      certPull([approved("frank"), approved("bob")], [record(), requestFile("alice-db")]),
      at(),
    );
    expect(d.decision).toBe("denied");
    expect(d.reasons.join()).toContain("a request is mixed with a certification");
    const other = decide(
      certPull([approved("frank")], [record(), { path: "README.md", status: "modified", content: "x" }]),
      at(),
    );
    expect(other.decision).toBe("denied");
    expect(other.reasons.join()).toContain("a certification is mixed with other changes (README.md)");
  });

  it("invariant: reviewers come from the base policy, never from the record or the PR", () => {
    // The PR also edits the policy so that bob could approve: refused as mixed, whatever the reviews.
    const edit = { path: "policies/base.yaml", status: "modified" as const, content: "x" };
    expect(decide(certPull([approved("bob")], [record(), edit]), at()).decision).toBe("denied");
    // bob (sre, not security) approving the record alone never counts.
    expect(decide(certPull([approved("bob")]), at()).decision).toBe("pending");
  });

  it.each([
    [
      "a record for a policy without certification",
      recordYaml(LAST).replace("name: base", "name: other"),
      "access/certifications/other.yaml",
      "certification.unknown-policy",
    ],
    [
      "an item the policy does not certify",
      recordYaml(LAST, ["nope"], LAST),
      RECORD_PATH,
      "certification.unknown-item",
    ],
    [
      "a date beyond both now and the due date",
      recordYaml("2099-01-01T00:00:00Z", undefined, LAST),
      RECORD_PATH,
      "certification.date-future",
    ],
  ])("invariant: %s is invalid, never approved", (_what, content, path, code) => {
    const d = decide(certPull([approved("frank")], [{ path, status: "added", content }]), at());
    expect(d.decision).toBe("invalid");
    expect(d.reasons.join()).toContain(code);
  });

  it("invariant: a record that does not follow the last merged one is denied (an old PR replayed)", () => {
    const stale = record(recordYaml("2026-11-24T10:00:00Z", undefined, "2026-06-01T10:00:00Z"));
    const d = decide(certPull([approved("frank")], [stale]), at());
    expect(d.decision).toBe("denied");
    expect(d.reasons.join()).toContain("the last merged one is of 2026-09-01T10:00:00Z");
  });

  it("deleting a record is a repository change for the policy owners", () => {
    const d = decide(certPull([approved("frank")], [{ path: RECORD_PATH, status: "removed" }]), at());
    expect(d.certification).toBeUndefined();
    expect(d.decision).toBe("pending");
    expect(d.reasons.join()).toContain("policy change: rule security needs 2 approvals");
  });
});

describe("lapses decide requests, from Git", () => {
  const db = () => pull({ files: [requestFile("alice-db")], reviews: [approved("bob")] });

  it("before the due date a request is decided as usual", () => {
    expect(decide(db(), at(new Date("2026-11-30T09:59:00Z"))).decision).toBe("approved");
  });

  it("invariant: with suspend, a request for a lapsed entitlement is denied, naming the date", () => {
    const d = decide(db(), at(new Date("2026-11-30T10:00:00Z")));
    expect(d.decision).toBe("denied");
    expect(d.reasons).toEqual([
      "alice-db: db-read is suspended: certification lapsed on 2026-11-30T10:00:00Z; merging its certification pull request lifts it",
    ]);
  });

  it("invariant: with suspend, break-glass is denied too while lapsed", () => {
    const glass = pull({
      files: [
        requestFile("alice-db", {
          entitlement: "db-read",
          duration: "30m",
          ticket: "INC-1",
          breakGlass: true,
        }),
      ],
    });
    expect(decide(glass, at(new Date("2026-12-01T00:00:00Z"))).decision).toBe("denied");
  });

  it("with keep, the request is decided as usual and the check run carries a warning", () => {
    const staging = pull({ files: [requestFile("alice-stg", { entitlement: "staging", duration: "4h" })] });
    const d = decide(staging, at(new Date("2026-12-01T00:00:00Z")));
    expect(d.decision).toBe("approved");
    expect(d.warnings).toEqual([
      "staging: certification lapsed on 2026-10-01T10:00:00Z; requests are still decided (onNoResponse: keep) until its certification merges",
    ]);
    expect(renderCheck(d, "c2").summary).toContain(
      "**Warning:** staging: certification lapsed on 2026-10-01T10:00:00Z",
    );
  });

  it("removals are approved whatever the lapse", () => {
    const d = decide(
      pull({ files: [{ path: "access/requests/alice-db.yaml", status: "removed" }] }),
      at(new Date("2027-06-01T00:00:00Z")),
    );
    expect(d.decision).toBe("approved");
  });
});
