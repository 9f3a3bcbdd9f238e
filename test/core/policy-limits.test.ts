import { MAX_ERRORS_PER_FILE } from "../../core/cap-errors.js";
import { checkRequest } from "../../core/check-request.js";
import { loadPolicy } from "../../core/load-policy.js";
import { NOW, REQUEST_YAML } from "../fixtures/policy.js";

const HEAD = `apiVersion: jitops.dev/v1
kind: Policy
metadata:
  name: limits
spec:
  entitlements:
    - name: prod-db-reader
      grants:
        - gcp: {resource: projects/p, role: roles/browser}
      eligible: {users: [alice]}
`;

/** A policy whose one entitlement ends with `tail` (lines 11 onwards, indented as its keys). */
function policy(tail: string[]): string {
  return `${HEAD}${tail.map((l) => `      ${l}`).join("\n")}\n`;
}

function errorsOf(content: string) {
  return loadPolicy([{ path: "policies/limits.yaml", content }]).results[0]!.errors;
}

describe("policy limits", () => {
  it.each([
    [
      "ticket.pattern-too-large",
      ["maxDuration: 8h", "approval: none", 'require: {ticket: "(?:[a-z]{100}){49}X"}'],
      13,
      25,
      'ticket pattern "(?:[a-z]{100}){49}X" is not accepted: the pattern expands beyond 2000 steps (a counted repetition is written out: (?:[a-z]{100}){49} is 4900 steps); use smaller counts, or + and *',
    ],
    [
      "duration.invalid",
      ["maxDuration: 100000d", "approval: none"],
      11,
      20,
      'maxDuration "100000d" has too many digits: days take at most 5 digits (hours 6, minutes 7); use (Nd)(Nh)(Nm), e.g. 30m, 4h, 1h30m, 2d',
    ],
    [
      "policy.ticket-pattern",
      ["maxDuration: 8h", "approval: none", `require: {ticket: "${"a".repeat(300)}"}`],
      13,
      25,
      `ticket pattern "${"a".repeat(80)}"… (300 characters) is not accepted: the pattern is 300 characters; at most 256 are accepted`,
    ],
  ])("reports %s at the value, naming the limit", (code, tail, line, column, message) => {
    expect(errorsOf(policy(tail))).toEqual([{ line, column, code, message }]);
  });

  it("invariant: a ticket pattern is matched by code point: ^😀-[0-9]+$ accepts 😀-1", () => {
    const loaded = loadPolicy([
      {
        path: "policies/limits.yaml",
        content: policy(["maxDuration: 8h", "approval: none", 'require: {ticket: "^😀-[0-9]+$"}']),
      },
    ]);
    expect(loaded.results[0]!.errors).toEqual([]);
    const request = (ticket: string) =>
      checkRequest(
        {
          path: "access/requests/alice-prod-db.yaml",
          content: REQUEST_YAML.replace("ticket: INC-1234", `ticket: "${ticket}"`),
        },
        loaded.policy,
        NOW,
      );
    expect(request("😀-1").ok).toBe(true);
    const r = request("😀-x");
    expect(!r.ok && r.errors.map((e) => e.code)).toEqual(["ticket.invalid"]);
  });

  it("invariant: errors per file are capped: a policy of 3,000 unknown keys gives 50 errors and a count", () => {
    const extra = Array.from({ length: 3000 }, (_, i) => `junk${i}: 1`);
    const errors = errorsOf(policy(["maxDuration: 8h", "approval: none", ...extra]));
    expect(errors).toHaveLength(MAX_ERRORS_PER_FILE + 1);
    expect(errors[0]).toMatchObject({ line: 13, column: 7, code: "schema.additional" });
    expect(errors[MAX_ERRORS_PER_FILE]).toEqual({
      line: 63,
      column: 7,
      code: "errors.truncated",
      message:
        "2950 more errors not shown (at most 50 are reported per file); fix the ones above and validate again",
    });
  });

  it("invariant: deeply nested YAML is refused with a position, never a stack overflow (policy files)", () => {
    const errors = errorsOf(`${HEAD}      approval: ${"[".repeat(10_000)}\n`);
    expect(errors).toEqual([
      {
        line: 11,
        column: 17 + 28, // the 29th "[" is level 33: the entitlement list item is level 4
        code: "yaml.too-deep",
        message:
          "nesting deeper than 32 levels of mappings and lists is not accepted; this value is at level 33",
      },
    ]);
  });
});
