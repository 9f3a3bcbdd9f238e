import type { ActivityEntry } from "./activity-entry.js";

type Json = Record<string, unknown>;
const obj = (v: unknown): Json | undefined =>
  v !== null && typeof v === "object" && !Array.isArray(v) ? (v as Json) : undefined;
const str = (v: unknown): string | undefined => (typeof v === "string" && v !== "" ? v : undefined);

/** Why an audit webhook body was refused. */
export interface AuditBatchError {
  code: "activity.k8s-audit-invalid";
  message: string;
}

/** The entries of an `audit.k8s.io/v1` EventList, or why it is not one. */
export type AuditBatch =
  { ok: true; entries: ActivityEntry[]; skipped: number } | { ok: false; error: AuditBatchError };

const invalid = (message: string): AuditBatch => ({
  ok: false,
  error: { code: "activity.k8s-audit-invalid", message },
});

/** `get pods`, `create deployments.apps`, `get pods/log`: the RBAC verb and resource the call needed. */
function permission(verb: string, ref: Json | undefined): string {
  const group = str(ref?.apiGroup);
  const resource = str(ref?.resource) ?? "";
  const sub = str(ref?.subresource);
  return `${verb} ${resource}${group ? `.${group}` : ""}${sub ? `/${sub}` : ""}`.trim();
}

/**
 * The calls of one batch the API server's webhook audit backend posted
 * (https://kubernetes.io/docs/tasks/debug/debug-cluster/audit/#webhook-backend). Only the
 * `ResponseComplete` (or `Panic`) stage of each request counts, so a request logged at several
 * stages is one call; `cluster` names where it came from.
 */
export function kubernetesAuditBatch(body: unknown, cluster: string): AuditBatch {
  const list = obj(body);
  if (!list) return invalid("the body is not a JSON object; expected an audit.k8s.io/v1 EventList");
  if (list.apiVersion !== "audit.k8s.io/v1" || list.kind !== "EventList")
    return invalid(
      `apiVersion ${JSON.stringify(list.apiVersion)}, kind ${JSON.stringify(list.kind)}: expected apiVersion audit.k8s.io/v1, kind EventList`,
    );
  if (!Array.isArray(list.items)) return invalid("items is not a list of audit events");
  const entries: ActivityEntry[] = [];
  let skipped = 0;
  for (const raw of list.items) {
    const e = obj(raw);
    const stage = str(e?.stage);
    const user = str(obj(e?.user)?.username);
    const id = str(e?.auditID);
    const verb = str(e?.verb);
    const time = str(e?.stageTimestamp) ?? str(e?.requestReceivedTimestamp);
    if (!e || (stage !== "ResponseComplete" && stage !== "Panic") || !user || !id || !verb || !time) {
      skipped++;
      continue;
    }
    const ref = obj(e.objectRef);
    const impersonated = str(obj(e.impersonatedUser)?.username);
    const code = obj(e.responseStatus)?.code;
    const path = [
      str(ref?.namespace) && `namespaces/${str(ref?.namespace)}`,
      str(ref?.resource),
      str(ref?.name),
    ]
      .filter(Boolean)
      .join("/");
    entries.push({
      provider: "kubernetes",
      log: "kubernetes-audit",
      id,
      time,
      principal: impersonated ?? user,
      ...(impersonated ? { onBehalfOf: user } : {}),
      service: `${cluster}/${str(ref?.apiGroup) || "core"}`,
      method: permission(verb, ref),
      resource: path || (str(e.requestURI) ?? ""),
      permissions: [permission(verb, ref)],
      denied: code === 401 || code === 403 || stage === "Panic",
    });
  }
  return { ok: true, entries, skipped };
}
