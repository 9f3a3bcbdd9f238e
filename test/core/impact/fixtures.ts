import { prepareBase, type PreparedBase } from "../../../core/evaluate/prepare-base.js";
import type { DirectorySnapshot } from "../../../core/evaluate/pull-snapshot.js";
import type { ReplayRequest } from "../../../core/impact/replay-input.js";

/** The base policy of the impact tests: prod-db-admin for acme/sre with one SRE approval, a workload. */
export const BASE_POLICY = `apiVersion: jitops.dev/v1
kind: Policy
metadata:
  name: impact
spec:
  principals:
    alice: {gcp: "user:alice@example.com"}
    carol: {gcp: "user:carol@example.com"}
  entitlements:
    - name: prod-db-admin
      grants:
        - gcp: {resource: projects/acme-prod, role: roles/cloudsql.admin}
      eligible: {teams: [acme/sre]}
      maxDuration: 8h
      approval:
        - {name: sre, count: 1, from: {teams: [acme/sre]}}
      breakGlass: {maxDuration: 1h}
    - name: staging-viewer
      grants:
        - gcp: {resource: projects/acme-staging, role: roles/browser}
      eligible: {teams: [acme/backend]}
      maxDuration: 1d
      approval: none
  workloads:
    - name: api-deploy
      repository: acme/api
      repositoryId: 123456
      ownerId: 7890
      ref: refs/heads/main
      maxLifetime: 15m
      grants:
        - gcp:
            serviceAccount: deployer@acme-prod.iam.gserviceaccount.com
            workloadIdentityProvider: projects/123/locations/global/workloadIdentityPools/github/providers/github
`;

/** The base tree with its policy (and optionally another policy text). */
export function tree(policy = BASE_POLICY): PreparedBase {
  return prepareBase([
    { path: "policies/impact.yaml", content: policy },
    { path: "CODEOWNERS", content: "/access/requests/ @acme/dba\n" },
  ]);
}

/** The people: carol and bob are SREs (erin too), dave is the DBA, alice is backend. */
export const DIRECTORY: DirectorySnapshot = {
  users: { alice: { id: 101 }, bob: { id: 102 }, carol: { id: 103 }, dave: { id: 104 }, erin: { id: 105 } },
  teams: { "acme/sre": ["carol", "bob", "erin"], "acme/dba": ["dave"], "acme/backend": ["alice"] },
};

/** A request file's text. */
export function requestYaml(name: string, entitlement: string, duration = "4h", extra = ""): string {
  return `apiVersion: jitops.dev/v1
kind: AccessRequest
metadata:
  name: ${name}
spec:
  entitlement: ${entitlement}
  duration: ${duration}
${extra}`;
}

/** A merged request PR: `author` asked for `entitlement`, approved by `approvers` on its head. */
export function merged(
  pr: number,
  author: string,
  entitlement: string,
  approvers: string[],
  opts: { duration?: string; at?: string; name?: string; extra?: string } = {},
): ReplayRequest {
  const name = opts.name ?? `${author}-${entitlement}`;
  return {
    pr,
    commit: `m${pr}`,
    state: "merged",
    at: opts.at ?? "2026-11-20T10:00:00.000Z",
    snapshot: {
      author,
      head: `h${pr}`,
      files: [
        {
          path: `access/requests/${name}.yaml`,
          status: "added",
          content: requestYaml(name, entitlement, opts.duration, opts.extra),
        },
      ],
      commits: [{ sha: `h${pr}`, author }],
      reviews: approvers.map((user) => ({ user, state: "APPROVED" as const, commit: `h${pr}` })),
      labels: [],
    },
  };
}
