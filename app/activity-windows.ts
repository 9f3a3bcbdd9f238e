import type { ActivitySubject, ActivityWindow } from "../core/activity/activity-window.js";
import { grantWindows, workloadWindows } from "../core/activity/grant-windows.js";
import { requestSpans, type RequestVersion } from "../core/activity/request-spans.js";
import type { Policy } from "../core/types.js";

/** Git's record of request files: every version of one, and every name ever used. */
export interface RequestHistory {
  versions(name: string): Promise<RequestVersion[]>;
  names(): Promise<string[]>;
}

/** The windows of a name, or why there are none. */
export type ResolvedWindows =
  | { ok: true; subject: ActivitySubject; windows: ActivityWindow[]; problems: string[] }
  | { ok: false; message: string };

/** What resolving reads: the policy, Git's history, the period and the requester when Git cannot tell. */
export interface ResolveInput {
  policy: Policy;
  history: RequestHistory;
  now: Date;
  sinceMs: number;
  author?: string;
}

const overlaps = (w: { end: string }, from: number) => Date.parse(w.end) >= from;

/**
 * A request's grant windows (from its file's history in Git), or a workload's windows over the
 * period: the workload wins when a request has the same name, since workloads are named in policy.
 */
export async function activityWindows(name: string, input: ResolveInput): Promise<ResolvedWindows> {
  const from = input.now.getTime() - input.sinceMs;
  const workload = input.policy.workloads.find((w) => w.name === name);
  if (workload)
    return {
      ok: true,
      subject: { kind: "workload", workload: name },
      windows: workloadWindows(workload, new Date(from).toISOString(), input.now.toISOString()),
      problems: [],
    };
  const versions = await input.history.versions(name);
  if (versions.length === 0)
    return {
      ok: false,
      message: `${name} is neither a workload in policy nor a request in Git's history (access/requests/${name}.yaml); workloads: ${input.policy.workloads.map((w) => w.name).join(", ") || "none"}`,
    };
  const { spans, problems } = requestSpans(name, versions, input.policy, input.author);
  const windows = spans.filter((s) => overlaps(s, from)).flatMap(grantWindows);
  return { ok: true, subject: { kind: "grant", request: name }, windows, problems };
}

/**
 * The grant windows of every request for an entitlement in the period (its recent grants), or a
 * workload's period, with the roles to right-size: the entitlement's GCP and Azure roles, or for a
 * workload whatever `heldRoles` finds bound to its identities.
 */
export async function rightsizeWindows(
  name: string,
  input: ResolveInput & { heldRoles(window: ActivityWindow): Promise<string[]> },
): Promise<
  | {
      ok: true;
      subject: ActivitySubject;
      windows: ActivityWindow[];
      roles: { provider: "gcp" | "azure"; role: string }[];
      problems: string[];
    }
  | { ok: false; message: string }
> {
  const from = input.now.getTime() - input.sinceMs;
  const workload = input.policy.workloads.find((w) => w.name === name);
  if (workload) {
    const windows = workloadWindows(workload, new Date(from).toISOString(), input.now.toISOString());
    const roles: { provider: "gcp" | "azure"; role: string }[] = [];
    for (const w of windows)
      if (w.provider !== "kubernetes")
        for (const role of await input.heldRoles(w)) roles.push({ provider: w.provider, role });
    return { ok: true, subject: { kind: "workload", workload: name }, windows, roles, problems: [] };
  }
  const entitlement = input.policy.entitlements.find((e) => e.name === name);
  if (!entitlement)
    return {
      ok: false,
      message: `${name} is neither an entitlement nor a workload in policy; entitlements: ${input.policy.entitlements.map((e) => e.name).join(", ") || "none"}`,
    };
  const windows: ActivityWindow[] = [];
  const problems: string[] = [];
  for (const request of await input.history.names()) {
    const r = requestSpans(request, await input.history.versions(request), input.policy, input.author);
    problems.push(...r.problems.filter((p) => p.includes(name)));
    for (const s of r.spans)
      if (s.entitlement.name === name && overlaps(s, from)) windows.push(...grantWindows(s));
  }
  const roles = entitlement.grants.flatMap((g): { provider: "gcp" | "azure"; role: string }[] =>
    "gcp" in g
      ? [{ provider: "gcp", role: g.gcp.role }]
      : "azure" in g
        ? [{ provider: "azure", role: g.azure.role }]
        : [],
  );
  return { ok: true, subject: { kind: "grant", request: "*", entitlement: name }, windows, roles, problems };
}
