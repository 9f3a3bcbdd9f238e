import fc from "fast-check";
import { stringify } from "yaml";
import { checkRequest } from "../../core/check-request.js";
import type { FileError } from "../../core/file-error.js";
import { loadPolicy } from "../../core/load-policy.js";
import { NOW, POLICY_FILES } from "../fixtures/policy.js";

const policy = loadPolicy(POLICY_FILES).policy;

/**
 * What is wrong with a failed result: no errors, or an error without a line inside the source, a
 * column, a `kind.name` code or a message. Checked in plain code and asserted once per input:
 * an `expect` per field made the matchers, not the checks, most of this suite's time.
 */
function malformed(r: { ok: true } | { ok: false; errors: FileError[] }, source: string): string[] {
  if (r.ok) return [];
  if (r.errors.length === 0) return ["not ok, but no errors"];
  const lines = source.split(/\r\n|\r|\n/).length + 1;
  const problems: string[] = [];
  for (const e of r.errors) {
    const at = `${e.line}:${e.column} ${e.code}: ${e.message}`;
    if (!(Number.isInteger(e.line) && e.line >= 1 && e.line <= lines))
      problems.push(`line outside 1..${lines}: ${at}`);
    if (!(Number.isInteger(e.column) && e.column >= 1)) problems.push(`column below 1: ${at}`);
    if (!/^[a-z]+\.[a-z-]+$/.test(e.code)) problems.push(`code not kind.name: ${at}`);
    if (e.message.length === 0) problems.push(`empty message: ${at}`);
  }
  return problems;
}

function checkBoth(source: string): void {
  const problems = malformed(
    checkRequest({ path: "access/requests/fuzz.yaml", content: source }, policy, NOW),
    source,
  );
  const loaded = loadPolicy([{ path: "policies/fuzz.yaml", content: source }]);
  for (const r of loaded.results)
    problems.push(...malformed(r.ok ? { ok: true } : { ok: false, errors: r.errors }, source));
  expect(problems).toEqual([]);
}

const yamlish = fc.stringMatching(/^[a-z:\-\s[\]{}&*!%#|>'",.0-9<?@`]*$/, { maxLength: 200 });
const requestLike = fc.record(
  {
    apiVersion: fc.oneof(fc.constant("jitops.dev/v1"), fc.string()),
    kind: fc.oneof(fc.constant("AccessRequest"), fc.constant("Policy"), fc.anything()),
    metadata: fc.oneof(fc.record({ name: fc.oneof(fc.constant("fuzz"), fc.string()) }), fc.anything()),
    spec: fc.oneof(
      fc.record(
        {
          entitlement: fc.oneof(fc.constantFrom("prod-db-reader", "staging-viewer"), fc.anything()),
          duration: fc.oneof(fc.constantFrom("4h", "0m", "9h", "1h30m", "2d"), fc.anything()),
          start: fc.oneof(
            fc.date().map((d) => (Number.isNaN(d.getTime()) ? "x" : d.toISOString())),
            fc.anything(),
          ),
          ticket: fc.oneof(fc.constant("INC-1"), fc.anything()),
          justification: fc.anything(),
          breakGlass: fc.oneof(fc.boolean(), fc.anything()),
        },
        { requiredKeys: [] },
      ),
      fc.anything(),
    ),
  },
  { requiredKeys: [] },
);

describe("the parser and validators on random input", () => {
  it("never throw on random byte strings and always return ok or positioned errors", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) =>
        checkBoth(Buffer.from(bytes).toString("utf8")),
      ),
      { numRuns: 3000 },
    );
  });

  it("never throw on random YAML-ish text", () => {
    fc.assert(fc.property(yamlish, checkBoth), { numRuns: 3000 });
  });

  it("never throw on random documents shaped like requests", () => {
    fc.assert(
      fc.property(requestLike, (doc) => checkBoth(stringify(doc))),
      { numRuns: 3000 },
    );
  });

  it("never throw on random JSON values written as YAML", () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 40 }), (v) => checkBoth(stringify(v))),
      { numRuns: 1500 },
    );
  });
});
