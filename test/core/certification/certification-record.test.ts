import { buildRecord } from "../../../core/certification/build-record.js";
import { parseCertificationRecord } from "../../../core/certification/certification-record.js";
import { renderRecord } from "../../../core/certification/render-record.js";
import { loadPolicy } from "../../../core/load-policy.js";
import { DIRECTORY, POLICY_PATH } from "../evaluate/fixtures.js";
import { CERTIFIED_POLICY, certifiedBase, RECORD_PATH, recordYaml } from "./certification-fixtures.js";

const parse = (content: string, path = RECORD_PATH) => parseCertificationRecord({ path, content });

describe("the certification record format", () => {
  it("a built record renders to YAML that parses back to itself, with teams expanded to logins and ids", () => {
    const base = certifiedBase(recordYaml("2026-11-24T10:00:00Z", ["db-read"]));
    const scope = base.certifications!.scopes.get("base")!;
    const previous = parse(recordYaml("2026-11-24T10:00:00Z", ["db-read"]));
    const record = buildRecord({
      scope,
      policy: base.loaded.policy!.source,
      directory: { ...DIRECTORY, teams: { ...DIRECTORY.teams, "acme/backend": ["alice", "erin"] } },
      held: [
        {
          request: "alice-db",
          login: "alice",
          entitlement: "db-read",
          from: new Date("2027-02-20T09:00:00Z"),
          until: new Date("2027-02-20T13:00:00Z"),
        },
      ],
      previous: previous.ok ? previous.value : undefined,
      date: new Date("2027-02-22T10:00:00Z"),
      asOf: new Date("2027-02-08T10:00:00Z"),
    });
    const back = parse(renderRecord(record));
    expect(back.ok && back.value.record).toEqual(record);
    expect(record.spec.previous).toEqual({ date: "2026-11-24T10:00:00Z" });
    expect(record.spec.entitlements?.[0]).toEqual({
      name: "db-read",
      eligible: [
        { login: "alice", id: 101, via: ["acme/backend"] },
        { login: "erin", id: 105, via: ["acme/backend"] },
      ],
      held: [
        { request: "alice-db", login: "alice", from: "2027-02-20T09:00:00Z", until: "2027-02-20T13:00:00Z" },
      ],
      added: ["erin"],
    });
  });

  it.each([
    [
      "a name that is not the file stem",
      recordYaml("2026-11-24T10:00:00Z").replace("name: base", "name: prod"),
      {
        line: 4,
        column: 9,
        code: "certification.name-mismatch",
        message: /must equal the file name stem "base"/,
      },
    ],
    [
      "a date without a zone",
      recordYaml("2026-11-24T10:00:00Z").replace("  date: 2026-11-24T10:00:00Z", "  date: 22 Feb 2027"),
      {
        line: 6,
        column: 9,
        code: "certification.date-invalid",
        message: /date "22 Feb 2027" is not an RFC 3339 time/,
      },
    ],
    [
      "an entitlement listed twice",
      recordYaml("2026-11-24T10:00:00Z", ["db-read", "db-read"]),
      {
        line: 10,
        column: 14,
        code: "certification.duplicate-item",
        message: /entitlement db-read is listed twice/,
      },
    ],
    [
      "an unknown key",
      recordYaml("2026-11-24T10:00:00Z").replace("kind: Certification", "kind: Certification\nstatus: ok"),
      { line: 3, column: 1, code: "schema.additional", message: /status/ },
    ],
  ])("%s is refused with its code, line and column", (_what, content, expected) => {
    const r = parse(content);
    expect(r.ok).toBe(false);
    const [e] = r.ok ? [] : r.errors;
    expect(e).toMatchObject({ line: expected.line, column: expected.column, code: expected.code });
    expect(e?.message).toMatch(expected.message);
  });

  it("a policy cadence without reviewers is certification.incomplete at the certification key", () => {
    const yaml = CERTIFIED_POLICY.replace(
      "    reviewers: {name: security, count: 1, from: {teams: [acme/security]}}\n",
      "",
    );
    const loaded = loadPolicy([{ path: POLICY_PATH, content: yaml }]);
    const errors = loaded.results.flatMap((r) => r.errors);
    expect(errors[0]).toMatchObject({ line: 6, column: 3, code: "certification.incomplete" });
    expect(errors[0]?.message).toMatch(/entitlement db-read is under certification without reviewers/);
  });

  it("a cadence that is not a duration is duration.invalid at the value", () => {
    const loaded = loadPolicy([
      { path: POLICY_PATH, content: CERTIFIED_POLICY.replace("every: 90d", "every: quarterly") },
    ]);
    expect(loaded.results.flatMap((r) => r.errors)).toEqual([
      expect.objectContaining({ line: 7, column: 12, code: "duration.invalid" }),
    ]);
  });
});
