import { MAX_ERRORS_PER_FILE } from "../../core/cap-errors.js";
import { checkRequest, MAX_TICKET } from "../../core/check-request.js";
import { loadPolicy } from "../../core/load-policy.js";
import { validateFiles } from "../../core/validate-files.js";
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

describe("checkRequest on hostile and mistaken input", () => {
  // Every new code and every message the issue asked to point at the fix: exact code, position, message.
  it.each([
    [
      "ticket.too-long",
      edit(9, `  ticket: INC-${"1".repeat(253)}`),
      PATH,
      9,
      11,
      `ticket "INC-1111111111111111"… is 257 characters; at most ${MAX_TICKET} are accepted (a ticket is a reference such as INC-1234)`,
    ],
    [
      "ticket.too-long",
      edit(9, `  ticket: ${"😀".repeat(300)}`),
      PATH,
      9,
      11,
      `ticket "${"😀".repeat(20)}"… is 300 characters; at most ${MAX_TICKET} are accepted (a ticket is a reference such as INC-1234)`,
    ],
    [
      "duration.invalid",
      edit(7, "  duration: 100000d"),
      PATH,
      7,
      13,
      'duration "100000d" has too many digits: days take at most 5 digits (hours 6, minutes 7); use (Nd)(Nh)(Nm), e.g. 30m, 4h, 1h30m, 2d',
    ],
    [
      "duration.invalid",
      edit(7, "  duration: 1d1234567h"),
      PATH,
      7,
      13,
      'duration "1d1234567h" has too many digits: hours take at most 6 digits (days 5, minutes 7); use (Nd)(Nh)(Nm), e.g. 30m, 4h, 1h30m, 2d',
    ],
    [
      "request.bad-file-name",
      edit(4, "  name: zoe-k8s"),
      "access/requests/zoë-k8s.yaml",
      4,
      9,
      'the file name "zoë-k8s.yaml" can never match metadata.name, which is 3 to 63 characters of a-z, 0-9 and "-": rename the file, e.g. to zoe-k8s.yaml, and set metadata.name to the new stem',
    ],
    [
      "request.bad-file-name",
      REQUEST_YAML,
      "access/requests/Alice-Prod-DB.yaml",
      4,
      9,
      'the file name "Alice-Prod-DB.yaml" can never match metadata.name, which is 3 to 63 characters of a-z, 0-9 and "-": rename the file, e.g. to alice-prod-db.yaml, and set metadata.name to the new stem',
    ],
    [
      "request.bad-file-name",
      REQUEST_YAML,
      `access/requests/${"a".repeat(64)}.yaml`,
      4,
      9,
      `the file name "${"a".repeat(64)}.yaml" can never match metadata.name, which is 3 to 63 characters of a-z, 0-9 and "-": rename the file, e.g. to ${"a".repeat(63)}.yaml, and set metadata.name to the new stem`,
    ],
    [
      "request.bad-file-name",
      REQUEST_YAML.replace("metadata:\n  name: alice-prod-db\n", "metadata: {}\n"),
      "access/requests/ab.yaml",
      1,
      1,
      'the file name "ab.yaml" can never match metadata.name, which is 3 to 63 characters of a-z, 0-9 and "-": rename the file and set metadata.name to the new stem',
    ],
  ])(
    "reports %s at the value the user wrote, saying the fix",
    (code, source, path, line, column, message) => {
      const r = check(source, path);
      expect(r.ok).toBe(false);
      if (r.ok) return;
      expect(r.errors.filter((e) => e.code === code)).toEqual([{ line, column, code, message }]);
    },
  );

  it("reports a bad file name instead of a name mismatch: renaming the file is the fix", () => {
    const r = check(REQUEST_YAML, "access/requests/Alice.yaml");
    expect(!r.ok && r.errors.map((e) => e.code)).toEqual(["request.bad-file-name"]);
  });

  it("accepts a ticket of exactly 256 characters and matches it", () => {
    expect(check(edit(9, `  ticket: INC-${"1".repeat(252)}`)).ok).toBe(true);
  });

  it("invariant: errors per file are capped: 6,000 unknown keys give 50 errors and a count of the rest", () => {
    const extra = Array.from({ length: 6000 }, (_, i) => `  k${i}: 1`).join("\n");
    const r = check(`${REQUEST_YAML}${extra}\n`);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors).toHaveLength(MAX_ERRORS_PER_FILE + 1);
    expect(r.errors.slice(0, 2).map((e) => [e.line, e.code])).toEqual([
      [10, "schema.additional"],
      [11, "schema.additional"],
    ]);
    expect(r.errors[MAX_ERRORS_PER_FILE]).toEqual({
      line: 60,
      column: 3,
      code: "errors.truncated",
      message:
        "5950 more errors not shown (at most 50 are reported per file); fix the ones above and validate again",
    });
  });

  it("quotes a long value in a message only in part", () => {
    const r = check(edit(6, `  entitlement: ${"x".repeat(5000)}`));
    const e = !r.ok && r.errors.find((x) => x.code === "entitlement.unknown");
    expect(e && e.message).toBe(
      `entitlement "${"x".repeat(80)}"… (5000 characters) is not declared in policy; known entitlements: prod-db-reader, staging-viewer`,
    );
  });

  it("turns an exception while checking one file into internal.error on that file, and checks the others", () => {
    const hostile = {
      path: "access/requests/boom.yaml",
      get content(): string {
        throw new RangeError("Maximum call stack size exceeded");
      },
    };
    const report = validateFiles(POLICY_FILES, [hostile, { path: PATH, content: REQUEST_YAML }], NOW);
    const [, boom, good] = report.results;
    expect(boom).toEqual({
      path: "access/requests/boom.yaml",
      ok: false,
      errors: [
        {
          line: 1,
          column: 1,
          code: "internal.error",
          message:
            "jitops failed while checking this file (RangeError: Maximum call stack size exceeded); this is a bug in jitops: please report it with the file",
        },
      ],
    });
    expect(good).toEqual({ path: PATH, ok: true, errors: [] });
    expect(report.ok).toBe(false);
  });
});
