import { parse } from "yaml";
import { checkRequest } from "../core/check-request.js";
import { loadPolicy } from "../core/load-policy.js";
import type { SourceFile } from "../core/types.js";
import { perCallMicros, round } from "./measure.js";

/** The one-entitlement policy the validate and startup benches check against. */
export const POLICY = `apiVersion: jitops.dev/v1
kind: Policy
metadata:
  name: bench
spec:
  entitlements:
    - name: prod-db-reader
      grants:
        - gcp: {resource: projects/acme-prod, role: roles/cloudsql.viewer}
      eligible: {teams: [acme/backend]}
      maxDuration: 8h
      require: {justification: true, ticket: "^INC-[0-9]+$"}
      approval:
        - {name: sre, count: 1, from: {teams: [acme/sre]}}
`;

/** `n` distinct request files valid under POLICY. */
export function requestFiles(n: number): SourceFile[] {
  return Array.from({ length: n }, (_, i) => ({
    path: `access/requests/req-${i}.yaml`,
    content: `apiVersion: jitops.dev/v1
kind: AccessRequest
metadata:
  name: req-${i}
spec:
  entitlement: prod-db-reader
  duration: ${(i % 8) + 1}h
  justification: Investigate replication lag number ${i}
  ticket: INC-${1000 + i}
`,
  }));
}

/** Validates `n` request files against plain YAML.parse of the same files, in the same run. */
export function benchValidate(n: number) {
  const policy = loadPolicy([{ path: "policies/bench.yaml", content: POLICY }]).policy!;
  const files = requestFiles(n);
  const now = new Date("2026-01-01T00:00:00Z");
  let bad = 0;
  // Interleave the two a few times and keep each one's best, so a noisy neighbour hurts both alike.
  let best = { jitops: Infinity, yaml: Infinity };
  for (let round = 0; round < 3; round++) {
    const j = (perCallMicros(n, (i) => (checkRequest(files[i]!, policy, now).ok ? 0 : bad++)) * n) / 1000;
    const y = (perCallMicros(n, (i) => parse(files[i]!.content)) * n) / 1000;
    best = { jitops: Math.min(best.jitops, j), yaml: Math.min(best.yaml, y) };
  }
  if (bad > 0) throw new Error(`${bad} bench requests were invalid`);
  return {
    files: n,
    jitops_ms: round(best.jitops, 1),
    yaml_parse_ms: round(best.yaml, 1),
    ratio: round(best.jitops / best.yaml),
  };
}
