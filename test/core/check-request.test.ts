import { checkRequest } from "../../core/check-request.js";
import { loadPolicy } from "../../core/load-policy.js";
import { NOW, POLICY_FILES, REQUEST_YAML } from "../fixtures/policy.js";

const policy = loadPolicy(POLICY_FILES).policy;
const PATH = "access/requests/alice-prod-db.yaml";

/** Replaces one line (1-based) of the valid request; null deletes it. */
function edit(line: number, text: string | null, source = REQUEST_YAML): string {
  const lines = source.split("\n");
  if (text === null) lines.splice(line - 1, 1);
  else lines[line - 1] = text;
  return lines.join("\n");
}

function check(source: string, path = PATH) {
  return checkRequest({ path, content: source }, policy, NOW);
}

describe("checkRequest", () => {
  it("accepts the valid request and resolves its limits", () => {
    const r = check(REQUEST_YAML);
    expect(r).toMatchObject({ ok: true, value: { minutes: 240, start: undefined } });
  });

  // Every code of FORMATS.md, with the line and column it must point at.
  it.each([
    ["yaml.syntax", edit(7, "  duration: [4h"), 8, 3],
    ["yaml.duplicate-key", edit(8, "  duration: 2h"), 8, 3],
    ["yaml.alias", edit(8, "  justification: &j why"), 8, 18],
    ["yaml.tag", edit(7, "  duration: !!str 4h"), 7, 13],
    ["schema.required", edit(6, null), 6, 3],
    ["schema.type", edit(10, "  breakGlass: maybe"), 10, 15],
    ["schema.additional", edit(10, "  reason: because"), 10, 3],
    ["schema.additional", edit(4, "  name: alice-prod-db\n  labels: x"), 5, 3],
    ["schema.const", edit(2, "kind: Policy"), 2, 7],
    ["schema.pattern", edit(4, "  name: Alice_DB", REQUEST_YAML), 4, 9],
    ["request.name-mismatch", edit(4, "  name: bob-prod-db"), 4, 9],
    ["entitlement.unknown", edit(6, "  entitlement: prod-db-writer"), 6, 16],
    ["duration.invalid", edit(7, "  duration: 4 hours"), 7, 13],
    ["duration.invalid", edit(7, "  duration: 0m"), 7, 13],
    ["duration.invalid", edit(7, "  duration: 240"), 7, 13],
    ["duration.exceeds-max", edit(7, "  duration: 9h"), 7, 13],
    ["duration.exceeds-max", `${edit(7, "  duration: 2h")}  breakGlass: true\n`, 7, 13],
    ["justification.required", edit(8, null), 6, 3],
    ["justification.required", edit(8, '  justification: "  "'), 8, 18],
    ["ticket.invalid", edit(9, "  ticket: JIRA-1"), 9, 11],
    ["ticket.invalid", edit(9, "  ticket: 1234"), 9, 11],
    ["ticket.invalid", edit(9, null), 6, 3],
    [
      "breakglass.not-allowed",
      edit(6, "  entitlement: staging-viewer\n  breakGlass: true", edit(9, null, edit(8, null))),
      7,
      15,
    ],
    ["start.invalid", `${REQUEST_YAML}  start: 2026-11-25 09:00\n`, 10, 10],
    ["start.invalid", `${REQUEST_YAML}  start: 2026-11-25T09:00:00\n`, 10, 10],
    ["start.invalid", `${REQUEST_YAML}  start: 2026-02-30T09:00:00Z\n`, 10, 10],
    ["start.invalid", `${REQUEST_YAML}  start: 2026-11-24T09:59:59Z\n`, 10, 10],
    ["gcp.public-principal", `${REQUEST_YAML}  principal: allUsers\n`, 10, 14],
  ])("reports %s at the offending key or value", (code, source, line, column) => {
    const r = check(source);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors).toContainEqual(expect.objectContaining({ code, line, column }));
    for (const e of r.errors) expect(e.message).toMatch(/\w+ \w+/);
  });

  // Every user-facing message says what was wrong, where, and what is accepted.
  it.each([
    [
      "yaml.syntax",
      edit(7, "  duration: [4h"),
      "YAML syntax error: Flow sequence in block collection must be sufficiently indented and end with a ]",
    ],
    ["yaml.duplicate-key", edit(8, "  duration: 2h"), "duplicate key; each key may appear once in a mapping"],
    [
      "yaml.alias",
      edit(8, "  justification: &j why"),
      "anchor &j is not accepted; anchors and aliases are not supported",
    ],
    [
      "yaml.tag",
      edit(7, "  duration: !!str 4h"),
      "tag !!str is not accepted; write plain values without tags",
    ],
    ["schema.required", edit(6, null), 'spec is missing the required key "entitlement"'],
    [
      "schema.type",
      edit(10, "  breakGlass: maybe"),
      'spec.breakGlass must be true or false, not the string "maybe" (Emergency access granted without approval, bounded by the entitlement\'s breakGlass.maxDuration; only where the entitlement allows it)',
    ],
    [
      "schema.additional",
      edit(10, "  reason: because"),
      'unknown key "reason" in spec; accepted keys: entitlement, principal, duration, start, justification, ticket, breakGlass',
    ],
    [
      "request.name-mismatch",
      edit(4, "  name: bob-prod-db"),
      'metadata.name "bob-prod-db" must equal the file name stem "alice-prod-db"',
    ],
    [
      "entitlement.unknown",
      edit(6, "  entitlement: prod-db-writer"),
      'entitlement "prod-db-writer" is not declared in policy; known entitlements: prod-db-reader, staging-viewer',
    ],
    [
      "duration.invalid",
      edit(7, "  duration: 4 hours"),
      'duration "4 hours" is not a positive duration; use (Nd)(Nh)(Nm), e.g. 30m, 4h, 1h30m, 2d',
    ],
    [
      "duration.exceeds-max",
      edit(7, "  duration: 9h"),
      "duration 9h exceeds the maxDuration 8h of entitlement prod-db-reader",
    ],
    [
      "justification.required",
      edit(8, null),
      "entitlement prod-db-reader requires a justification: add spec.justification",
    ],
    [
      "ticket.invalid",
      edit(9, "  ticket: JIRA-1"),
      'ticket "JIRA-1" does not match ^INC-[0-9]+$, required by entitlement prod-db-reader',
    ],
    [
      "breakglass.not-allowed",
      edit(6, "  entitlement: staging-viewer\n  breakGlass: true", edit(9, null, edit(8, null))),
      "entitlement staging-viewer does not allow break-glass requests; remove breakGlass or ask for approval",
    ],
    [
      "start.invalid",
      `${REQUEST_YAML}  start: 2026-11-25 09:00\n`,
      'start "2026-11-25 09:00" is not an RFC 3339 time with a zone, e.g. 2026-11-25T09:00:00Z',
    ],
  ])("says what is wrong for %s", (code, source, message) => {
    const r = check(source);
    expect(!r.ok && r.errors.find((e) => e.code === code)?.message).toBe(message);
  });

  it("reports the specific code, not the schema's, where a value breaks both", () => {
    const r = check(edit(7, "  duration: 4 hours"));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors.map((e) => e.code)).toEqual(["duration.invalid"]);
  });

  it("accepts a start in the future with a zone offset", () => {
    const r = check(`${REQUEST_YAML}  start: 2026-11-25T09:00:00+02:00\n`);
    expect(r.ok && r.value.start?.toISOString()).toBe("2026-11-25T07:00:00.000Z");
  });

  it("accepts a break-glass request within the break-glass limit", () => {
    expect(check(`${edit(7, "  duration: 1h")}  breakGlass: true\n`).ok).toBe(true);
  });

  it("names the accepted keys for an unknown key", () => {
    const r = check(edit(10, "  reason: because"));
    expect(!r.ok && r.errors[0]!.message).toBe(
      'unknown key "reason" in spec; accepted keys: entitlement, principal, duration, start, justification, ticket, breakGlass',
    );
  });

  it("names the known entitlements for an unknown one", () => {
    const r = check(edit(6, "  entitlement: prod-db-writer"));
    expect(!r.ok && r.errors[0]!.message).toContain("known entitlements: prod-db-reader, staging-viewer");
  });

  it("is never ok when the policy itself failed its checks", () => {
    const r = checkRequest({ path: PATH, content: REQUEST_YAML }, undefined, NOW);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors[0]!.code).toBe("policy.invalid");
  });
});
