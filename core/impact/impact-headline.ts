import { IMPACT_KINDS, KIND_PHRASE } from "./impact-kind.js";
import type { ImpactReport, RequestImpact } from "./impact-report.js";

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** How a changed request is named: `#812`, or its commit when the pull request is not known. */
export function requestLabel(r: Pick<RequestImpact, "pr" | "commit" | "request">): string {
  return r.pr !== undefined ? `#${r.pr}` : r.commit ? `${r.request} (${r.commit.slice(0, 7)})` : r.request;
}

/** One example, the most serious: `#812 becomes denied: carol is no longer eligible for prod-db-admin`. */
function example(r: RequestImpact): string {
  const verb = r.before.decision !== r.after.decision ? ` becomes ${r.after.decision}` : "";
  return `${requestLabel(r)}${verb}: ${r.why[0] ?? r.after.summary}`;
}

/**
 * The report in one sentence, e.g. `3 of 41 requests replayed would fare differently (2 need more
 * approvals, 1 become denied); #812 becomes denied: carol is no longer eligible for prod-db-admin`.
 */
export function impactHeadline(report: Omit<ImpactReport, "headline"> & { headline?: string }): string {
  if (report.policyErrors) {
    const which = report.policyErrors.every((e) => e.startsWith("base ")) ? "base" : "head";
    return `The ${which} policy has ${plural(report.policyErrors.length, "error")}, so no request was replayed`;
  }
  const parts: string[] = [];
  if (report.replayed === 0) parts.push("no request to replay");
  else if (report.changed === 0)
    parts.push(`none of the ${plural(report.replayed, "request")} replayed would fare differently`);
  else {
    const counts = IMPACT_KINDS.filter((k) => report.byKind[k])
      .slice(0, 3)
      .map((k) => `${report.byKind[k]} ${KIND_PHRASE[k]}`);
    parts.push(
      `${report.changed} of ${plural(report.replayed, "request")} replayed would fare differently (${counts.join(", ")}); ${example(report.requests[0]!)}`,
    );
  }
  if (report.workloads.length > 0) {
    const gained = report.workloads.filter((w) => w.change === "gained").length;
    const lost = report.workloads.filter((w) => w.change === "lost").length;
    const other = report.workloads.length - gained - lost;
    const bits = [
      gained ? `${gained} gained` : "",
      lost ? `${lost} lost` : "",
      other ? `${other} with changed constraints` : "",
    ].filter(Boolean);
    parts.push(`workload credentials: ${bits.join(", ")}`);
  }
  const sentence = parts.join("; ");
  const partial = report.coverage.partial ? ` (partial: ${report.coverage.partial.message})` : "";
  return `${sentence.charAt(0).toUpperCase()}${sentence.slice(1)}${partial}`;
}
