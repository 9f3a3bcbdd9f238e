import { runCli } from "../../cli/program.js";
import type { Env } from "../../core/env.js";
import { captureOutput } from "../fixtures/capture-output.js";
import { NOW, POLICY_YAML, REQUEST_YAML } from "../fixtures/policy.js";

/** Runs `jitops ARGS` in `cwd` (injected, not process.chdir: jest workers share the process). */
export async function jitops(cwd: string, args: string[], env: Env = {}) {
  const o = captureOutput();
  const code = await runCli(["node", "jitops", ...args], { env, output: o, now: () => NOW, cwd });
  return { code, out: o.stdout.join("\n"), err: o.stderr.join("\n"), stdout: o.stdout };
}

/** A policy test case on the repository's own policy: staging-viewer needs no approval. */
export const CASE_YAML = `name: staging-viewer is approved with no review
now: 2026-11-24T10:00:00Z
pr:
  author: alice
  head: c1
  files:
    - path: access/requests/alice-staging.yaml
      status: added
      content: |
        apiVersion: jitops.dev/v1
        kind: AccessRequest
        metadata:
          name: alice-staging
        spec:
          entitlement: staging-viewer
          duration: 1d
  commits: [{sha: c1, author: alice}]
  reviews: []
directory:
  users: {alice: {id: 101}, bob: {id: 102}}
  teams: {acme/backend: [alice], acme/sre: [bob]}
expect:
  decision: approved
`;

/** The files of a small access repository: the test policy, one valid request, one case. */
export const REPO = {
  "policies/test.yaml": POLICY_YAML,
  "policies/tests/staging.test.yaml": CASE_YAML,
  "access/requests/alice-prod-db.yaml": REQUEST_YAML,
};
