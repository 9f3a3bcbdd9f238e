import {
  isOpenable,
  lapseReason,
  scopeStatus,
  statusOf,
} from "../../../core/certification/certification-status.js";
import { certifiedBase, recordYaml } from "./certification-fixtures.js";

const RECORD = recordYaml("2026-11-24T10:00:00Z");

describe("due and lapse, computed from the last merged record and every", () => {
  it.each([
    // [record, now, entitlement, lapsed, due]
    [RECORD, "2026-11-24T10:00:00Z", "db-read", false, "2027-02-22T10:00:00.000Z"],
    [RECORD, "2027-02-22T09:59:59Z", "db-read", false, "2027-02-22T10:00:00.000Z"],
    [RECORD, "2027-02-22T10:00:00Z", "db-read", true, "2027-02-22T10:00:00.000Z"],
    [RECORD, "2026-12-24T09:59:00Z", "staging", false, "2026-12-24T10:00:00.000Z"],
    [RECORD, "2026-12-24T10:00:00Z", "staging", true, "2026-12-24T10:00:00.000Z"],
    [recordYaml("2026-11-24T10:00:00Z", ["staging"]), "2026-11-24T10:00:00Z", "db-read", true, undefined],
    [undefined, "2026-11-24T10:00:00Z", "db-read", true, undefined],
    ["kind: [", "2026-11-24T10:00:00Z", "db-read", true, undefined],
  ] as const)("record %#: at %s %s lapsed=%s due=%s", (record, now, name, lapsed, due) => {
    const s = statusOf(certifiedBase(record).certifications!, "entitlement", name, new Date(now))!;
    expect(s.lapsed).toBe(lapsed);
    expect(s.due?.toISOString()).toBe(due);
  });

  it("an entitlement no policy certifies has no status", () => {
    expect(
      statusOf(certifiedBase(RECORD).certifications!, "entitlement", "db-admin", new Date()),
    ).toBeDefined();
    const base = certifiedBase(RECORD);
    expect(statusOf(base.certifications!, "entitlement", "no-such", new Date())).toBeUndefined();
  });

  it.each([
    ["2026-12-10T09:59:00Z", false],
    ["2026-12-10T10:00:00Z", true],
    ["2027-03-01T10:00:00Z", true],
  ])("the policy (due at its earliest item, 2026-12-24) is openable 14 days ahead: at %s %s", (now, open) => {
    const base = certifiedBase(RECORD);
    const status = scopeStatus(base.certifications!.scopes.get("base")!, base.certifications!, new Date(now));
    expect(status.due?.toISOString()).toBe("2026-12-24T10:00:00.000Z");
    expect(isOpenable(status, new Date(now))).toBe(open);
  });

  it("says when it lapsed, or that nothing certified it", () => {
    const dated = statusOf(
      certifiedBase(RECORD).certifications!,
      "entitlement",
      "db-read",
      new Date("2027-03-01T00:00:00Z"),
    )!;
    expect(lapseReason(dated)).toBe("certification lapsed on 2027-02-22T10:00:00Z");
    const never = statusOf(certifiedBase().certifications!, "entitlement", "db-read", new Date())!;
    expect(lapseReason(never)).toMatch(
      /has no merged certification \(access\/certifications\/base.yaml does not list it\)/,
    );
  });
});
