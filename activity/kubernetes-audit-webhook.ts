import { timingSafeEqual } from "node:crypto";
import { kubernetesAuditBatch } from "../core/activity/kubernetes-audit-event.js";
import type { KubernetesAuditStore } from "./kubernetes-audit-store.js";

/** Largest audit batch accepted (the API server's webhook backend sends batches of at most 400 events by default). */
export const MAX_AUDIT_BODY_BYTES = 10 * 1024 * 1024;

/** An HTTP request as the handler reads it: headers, the raw body and the cluster named in the URL. */
export interface AuditWebhookRequest {
  authorization: string | undefined;
  body: string;
  /** The cluster the events are from (`/k8s-audit?cluster=prod`), as policy names it. */
  cluster: string | undefined;
}

/** The answer: a status and a JSON body with a code and message on failure. */
export interface AuditWebhookReply {
  status: number;
  body: { ok: true; received: number; stored: number } | { ok: false; code: string; message: string };
}

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * The endpoint a cluster's API server posts audit events to (its `--audit-webhook-config-file`
 * kubeconfig with a bearer token). The bot mounts it (e.g. `POST /k8s-audit?cluster=prod`) with
 * `JITOPS_K8S_AUDIT_TOKEN`; without a token it refuses everything.
 */
export function kubernetesAuditWebhook(deps: {
  token: string | undefined;
  clusters: readonly string[];
  store: KubernetesAuditStore;
}) {
  return (req: AuditWebhookRequest): AuditWebhookReply => {
    const fail = (status: number, code: string, message: string): AuditWebhookReply => ({
      status,
      body: { ok: false, code, message },
    });
    if (!deps.token)
      return fail(
        503,
        "activity.k8s-audit-token-unset",
        "JITOPS_K8S_AUDIT_TOKEN is not set: the audit endpoint accepts nothing until it is",
      );
    const given = /^Bearer\s+(\S+)$/i.exec(req.authorization ?? "")?.[1];
    if (!given || !same(given, deps.token))
      return fail(
        401,
        "activity.k8s-audit-unauthorized",
        "a bearer token equal to JITOPS_K8S_AUDIT_TOKEN is required",
      );
    if (!req.cluster || !deps.clusters.includes(req.cluster))
      return fail(
        400,
        "activity.k8s-audit-cluster",
        `cluster ${JSON.stringify(req.cluster ?? "")} is not a cluster of policy; accepted: ${deps.clusters.join(", ") || "(none)"}`,
      );
    if (Buffer.byteLength(req.body) > MAX_AUDIT_BODY_BYTES)
      return fail(413, "activity.k8s-audit-too-large", `the batch is over ${MAX_AUDIT_BODY_BYTES} bytes`);
    let parsed: unknown;
    try {
      parsed = JSON.parse(req.body);
    } catch {
      return fail(
        400,
        "activity.k8s-audit-invalid",
        "the body is not JSON; expected an audit.k8s.io/v1 EventList",
      );
    }
    const batch = kubernetesAuditBatch(parsed, req.cluster);
    if (!batch.ok) return fail(400, batch.error.code, batch.error.message);
    const stored = deps.store.add(req.cluster, batch.entries);
    return { status: 200, body: { ok: true, received: batch.entries.length, stored } };
  };
}
