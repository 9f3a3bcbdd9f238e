import type { CheckedRequest } from "./check-request.js";
import { formatDuration } from "./duration.js";
import type { ApprovalRule, Grant } from "./types.js";

/** One row of the plan a reviewer reads: who gets what, where, for how long, approved by whom. */
export interface RequestSummary {
  path: string;
  name: string;
  entitlement: string;
  principal: string;
  duration: string;
  start: string;
  grants: string[];
  approvals: string;
  breakGlass: boolean;
}

/** Describes an approval rule in words: `sre: 1 of acme/sre`. */
export function describeRule(rule: ApprovalRule, index: number): string {
  const who = [
    ...(rule.from.teams ?? []).map((t) => `@${t}`),
    ...(rule.from.users ?? []).map((u) => `@${u}`),
    ...(rule.from.codeowners ? ["code owners"] : []),
  ].join(", ");
  return `${rule.name ?? `rule ${index + 1}`}: ${rule.count} of ${who}`;
}

/** Describes a grant in words: `roles/cloudsql.viewer on projects/acme-prod (gcp)`. */
export function describeGrant(g: Grant): string {
  if ("gcp" in g) return `${g.gcp.role} on ${g.gcp.resource} (gcp)`;
  if ("azure" in g) return `${g.azure.role} on ${g.azure.scope} (azure)`;
  const k = g.kubernetes;
  const role = k.clusterRole ? `ClusterRole ${k.clusterRole}` : `Role ${k.role ?? ""}`;
  return `${role} in ${k.namespace ? `${k.cluster}/${k.namespace}` : `cluster ${k.cluster}`} (kubernetes)`;
}

/** Summarises a checked request for job summaries and PR comments. */
export function summarizeRequest(r: CheckedRequest): RequestSummary {
  const e = r.entitlement.source;
  const breakGlass = r.request.spec.breakGlass === true;
  return {
    path: r.path,
    name: r.request.metadata.name,
    entitlement: e.name,
    principal: r.request.spec.principal ?? "the PR author's mapped principal",
    duration: formatDuration(r.minutes),
    start: r.start ? r.start.toISOString() : "at merge",
    grants: e.grants.map(describeGrant),
    approvals: breakGlass
      ? "none (break-glass; post-incident review)"
      : e.approval === "none"
        ? "none"
        : e.approval.map(describeRule).join("; "),
    breakGlass,
  };
}
