import { certificationScopes } from "../../../core/certification/certification-scopes.js";
import { certificationEvent, type CertificationFact } from "../../../core/events/certification-events.js";
import { LIFECYCLE_EVENT_TYPES } from "../../../core/events/lifecycle-event.js";
import { POLICY_PATH } from "../evaluate/fixtures.js";
import { CERTIFIED_POLICY } from "../certification/certification-fixtures.js";
import { expectLifecycleEvent } from "./lifecycle-schema.js";

const items = certificationScopes([{ path: POLICY_PATH, content: CERTIFIED_POLICY }]).get("base")!.items;
const now = new Date("2026-11-24T10:00:00Z");
const fact = { now, repository: "acme/access", policy: "base", items };

describe("certification lifecycle events", () => {
  it("are lifecycle event types", () => {
    for (const t of [
      "certification-opened",
      "certification-due",
      "certification-approved",
      "certification-lapsed",
    ] as const)
      expect(LIFECYCLE_EVENT_TYPES).toContain(t);
  });

  const cases: [CertificationFact["type"], Partial<CertificationFact>][] = [
    ["certification-opened", { pr: 3, headSha: "a".repeat(40), reviewers: ["acme/security"], due: now }],
    ["certification-due", { pr: 3, reminder: "before", due: now, reviewers: ["acme/security"] }],
    ["certification-approved", { pr: 3, headSha: "b".repeat(40), reviewers: ["frank"], certifiedUntil: now }],
    ["certification-lapsed", { due: now }],
    ["certification-lapsed", {}],
  ];
  it.each(cases)("%s follows the schema and names its fact, not the time it was seen", (type, extra) => {
    const e = certificationEvent({ ...fact, type, ...extra });
    expectLifecycleEvent(e);
    expect(e).toMatchObject({ type, policy: "base" });
    expect(e.items).toContainEqual({ kind: "entitlement", name: "staging", onNoResponse: "keep" });
    const later = certificationEvent({ ...fact, type, ...extra, now: new Date("2027-01-01T00:00:00Z") });
    expect(later.id).toBe(e.id);
  });

  it("the schema refuses a certification event without its policy", () => {
    expect(() =>
      expectLifecycleEvent({
        schemaVersion: 1,
        id: "x",
        type: "certification-due",
        time: now.toISOString(),
        repository: "acme/access",
      }),
    ).toThrow(/policy/);
  });
});
