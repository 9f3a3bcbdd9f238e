import type { Entitlement, PrincipalMap, Workload } from "../types.js";
import { isKubernetesWorkload } from "../types.js";
import type { ActivityProvider } from "./activity-entry.js";
import type { ActivityWindow } from "./activity-window.js";

/** What a grant window needs from a merged request: its name, entitlement, principals per cloud, start and end. */
export interface GrantSpan {
  request: string;
  entitlement: Entitlement;
  /** The principal per cloud (the request's `principal`, else the requester's from policy `principals`). */
  principals: PrincipalMap;
  start: string;
  end: string;
  breakGlass?: boolean;
}

/** `projects/p` of a GCP resource, the `/subscriptions/id` of an Azure scope: where each cloud keeps its audit log. */
function logScope(provider: ActivityProvider, target: string): string {
  if (provider === "azure") return /^\/subscriptions\/[^/]+/i.exec(target)?.[0] ?? target;
  return target;
}

/**
 * One window per cloud the entitlement grants in, naming where its audit log lives: GCP resources
 * (a project keeps its own audit log), Azure subscriptions, Kubernetes clusters. A cloud the
 * principal has no identity in is left out (nothing was granted there).
 */
export function grantWindows(span: GrantSpan): ActivityWindow[] {
  const scopes = new Map<ActivityProvider, Set<string>>();
  const add = (p: ActivityProvider, s: string) =>
    scopes.set(p, (scopes.get(p) ?? new Set()).add(logScope(p, s)));
  for (const g of span.entitlement.grants) {
    if ("gcp" in g) add("gcp", g.gcp.resource);
    else if ("azure" in g) add("azure", g.azure.scope);
    else add("kubernetes", g.kubernetes.cluster);
  }
  const subject = {
    kind: "grant" as const,
    request: span.request,
    entitlement: span.entitlement.name,
    ...(span.breakGlass ? { breakGlass: true } : {}),
  };
  return [...scopes].flatMap(([provider, set]) => {
    const principal = span.principals[provider];
    return principal
      ? [{ subject, provider, principal, scopes: [...set].sort(), start: span.start, end: span.end }]
      : [];
  });
}

/**
 * The windows of a workload over a period: its GCP service account in the service account's project,
 * its Azure application (by client id) in its subscription. A workload's identity is the cloud's own
 * principal, so its whole period is one window per cloud.
 */
export function workloadWindows(workload: Workload, start: string, end: string): ActivityWindow[] {
  const subject = { kind: "workload" as const, workload: workload.name };
  const out: ActivityWindow[] = [];
  for (const g of workload.grants) {
    if ("gcp" in g) {
      const sa = g.gcp.serviceAccount;
      const project = /@([^.]+)\.iam\.gserviceaccount\.com$/.exec(sa)?.[1];
      if (project)
        out.push({
          subject,
          provider: "gcp",
          principal: `serviceAccount:${sa}`,
          scopes: [`projects/${project}`],
          start,
          end,
        });
    } else if ("azure" in g && g.azure.subscriptionId) {
      out.push({
        subject,
        provider: "azure",
        principal: g.azure.clientId,
        scopes: [`/subscriptions/${g.azure.subscriptionId}`],
        start,
        end,
      });
    }
  }
  if (isKubernetesWorkload(workload))
    out.push({
      subject,
      provider: "kubernetes",
      principal: `system:serviceaccount:${workload.kubernetes.namespace}:${workload.kubernetes.serviceAccount}`,
      scopes: [workload.kubernetes.cluster],
      start,
      end,
    });
  return out;
}
