import { parseCel, CelSyntaxError } from "../../../sim/identity/gcp/cel-parse.js";
import { evalCel, CelEvalError } from "../../../sim/identity/gcp/cel-eval.js";

const env = {
  assertion: { repository_id: "100", ref: "refs/heads/main", environment: "prod", event_name: "push" },
};
const run = (src: string): unknown => evalCel(parseCel(src), env);

test.each<[string, unknown]>([
  ["assertion.repository_id == '100'", true],
  ['assertion.repository_id != "100"', false],
  ["assertion.repository_id in ['1', '100']", true],
  ["assertion.ref.startsWith('refs/heads/') && !(assertion.event_name == 'pull_request')", true],
  ["has(assertion.environment) && assertion.environment == 'prod'", true],
  ["has(assertion.head_ref)", false],
  ["assertion.head_ref == 'x' || true", true],
  ["false && assertion.head_ref == 'x'", false],
  ["'repo:' + assertion['repository_id']", "repo:100"],
  ["(assertion.ref == 'a' || assertion.ref == 'refs/heads/main') && assertion.environment in ['prod']", true],
])("%s → %p", (src, want) => {
  expect(run(src)).toEqual(want);
});

test.each(["assertion.head_ref == 'x'", "assertion.repository_id == 100", "nope.x"])(
  "%s is a CEL error",
  (src) => {
    expect(() => run(src)).toThrow(CelEvalError);
  },
);

test.each(["assertion.ref ==", "assertion.ref == 'x", "a.b & c", "(a"])("%s does not parse", (src) => {
  expect(() => parseCel(src)).toThrow(CelSyntaxError);
});
