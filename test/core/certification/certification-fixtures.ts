import { prepareBase, type PreparedBase } from "../../../core/evaluate/prepare-base.js";
import { baseTree, POLICY_PATH, POLICY_YAML } from "../evaluate/fixtures.js";

/** The evaluate fixtures' policy with db-read (suspend, 90d) and staging (keep, 30d) under certification by acme/security. */
export const CERTIFIED_POLICY = POLICY_YAML.replace(
  "spec:\n",
  `spec:
  certification:
    every: 90d
    reviewers: {name: security, count: 1, from: {teams: [acme/security]}}
    onNoResponse: suspend
`,
).replace(
  "    - name: staging\n",
  "    - name: staging\n      certification: {every: 30d, onNoResponse: keep}\n",
);

export const RECORD_PATH = "access/certifications/base.yaml";

/** Every entitlement of the policy: the file-wide cadence puts them all under certification. */
export const ALL = ["db-read", "db-admin", "staging", "debug", "leads", "solo"];

/** A record of policy `base` dated `date`, listing `items` (entitlement names; default all). */
export function recordYaml(date: string, items: string[] = ALL, previous?: string): string {
  const list = items.map(
    (n) => `    - {name: ${n}, eligible: [{login: alice, id: 101, via: [acme/backend]}]}`,
  );
  return `apiVersion: jitops.dev/v1
kind: Certification
metadata:
  name: base
spec:
  date: ${date}
  asOf: ${date}
${previous ? `  previous: {date: ${previous}}\n` : ""}  entitlements:
${list.join("\n")}
`;
}

/** The base with the certified policy and, when given, the last merged record. */
export function certifiedBase(record?: string): PreparedBase {
  return prepareBase(
    baseTree({ [POLICY_PATH]: CERTIFIED_POLICY, ...(record ? { [RECORD_PATH]: record } : {}) }),
  );
}
