import { MARKER, type Binding } from "../core/plan/binding.js";
import type { ActualBinding } from "../core/plan/diff-bindings.js";
import type { Provider, ProviderReport } from "../core/plan/provider.js";
import { httpStatusOf } from "./http-status.js";
import type { RbacBinding, RbacClient } from "./kubernetes-rbac-client.js";
import { DEFAULT_RETRY, retryTransient, type RetryOptions } from "./retry-transient.js";

/** Labels and annotations jitops puts on the bindings it makes. */
export const LABELS = { managedBy: "app.kubernetes.io/managed-by", request: "jitops.dev/request" };
export const ANNOTATIONS = {
  binding: "jitops.dev/binding-id",
  notBefore: "jitops.dev/not-before",
  notAfter: "jitops.dev/not-after",
  entitlement: "jitops.dev/entitlement",
};
const SELECTOR = `${LABELS.managedBy}=${MARKER}`;

/** The object name of a binding: `jitops-<request-id>-<index>`. */
export function objectName(id: string): string {
  const [requestId, , index] = id.split("/");
  return `${MARKER}-${requestId}-${index}`;
}

/** An API error as one line: client-node's message also dumps every response header into PR comments. */
function describe(e: unknown): string {
  const err = e as { code?: number; body?: unknown; message?: string };
  if (typeof err.code !== "number" || err.body === undefined) return err.message ?? String(e);
  let body = err.body;
  try {
    if (typeof body === "string") body = JSON.parse(body);
  } catch {
    // not JSON: keep the text
  }
  const k8s = body as { reason?: string; message?: string };
  const text = typeof body === "string" ? body : [k8s.reason, k8s.message].filter(Boolean).join(": ");
  return `HTTP ${err.code}${text ? ` ${text}` : ""}`;
}

/** The RoleBinding/ClusterRoleBinding body of a binding. */
export function bindingBody(b: Binding): RbacBinding {
  if (!("kubernetes" in b.grant)) throw new Error(`binding ${b.id} is not a kubernetes grant`);
  const k = b.grant.kubernetes;
  const clusterRole = Boolean(k.clusterRole);
  return {
    apiVersion: "rbac.authorization.k8s.io/v1",
    kind: k.namespace ? "RoleBinding" : "ClusterRoleBinding",
    metadata: {
      name: objectName(b.id),
      ...(k.namespace ? { namespace: k.namespace } : {}),
      labels: { [LABELS.managedBy]: MARKER, [LABELS.request]: b.requestId },
      annotations: {
        [ANNOTATIONS.binding]: b.id,
        [ANNOTATIONS.notBefore]: b.notBefore,
        [ANNOTATIONS.notAfter]: b.notAfter,
        [ANNOTATIONS.entitlement]: b.entitlement,
      },
    },
    roleRef: {
      apiGroup: "rbac.authorization.k8s.io",
      kind: clusterRole ? "ClusterRole" : "Role",
      name: (k.clusterRole ?? k.role)!,
    },
    subjects: [{ apiGroup: "rbac.authorization.k8s.io", kind: "User", name: b.principal }],
  };
}

/**
 * Kubernetes RBAC. Kubernetes has no native expiry: the binding carries its expiry as an annotation
 * and the sweeper deletes it at notAfter; a binding that starts later is created only when due.
 * Scopes are `cluster/namespace` or `cluster` (cluster-scoped bindings).
 */
export function kubernetesProvider(
  rbac: Record<string, RbacClient>,
  now: () => Date = () => new Date(),
  retry: RetryOptions = DEFAULT_RETRY,
): Provider {
  // Rate limits and 5xx are retried here; conflicts (409) and roleRef changes (422) are answers.
  const clusters: Record<string, RbacClient> = Object.fromEntries(
    Object.entries(rbac).map(([name, c]) => [
      name,
      {
        list: (ns, sel) => retryTransient(() => c.list(ns, sel), retry),
        create: (ns, body) => retryTransient(() => c.create(ns, body), retry),
        replace: (ns, n, body) => retryTransient(() => c.replace(ns, n, body), retry),
        remove: (ns, n) => retryTransient(() => c.remove(ns, n), retry),
      } satisfies RbacClient,
    ]),
  );
  const clusterOf = (name: string) => {
    const c = clusters[name];
    if (!c)
      throw new Error(
        `cluster "${name}" is not configured: no kubeconfig context is named "${name}" (contexts: ${Object.keys(clusters).join(", ") || "none"}); add one to the kubeconfig KUBECONFIG names`,
      );
    return c;
  };
  return {
    name: "kubernetes",
    async list(scopes) {
      const out: ActualBinding[] = [];
      for (const scope of new Set(scopes)) {
        const [cluster, namespace] = scope.split("/");
        for (const item of await clusterOf(cluster!).list(namespace, SELECTOR)) {
          const a = item.metadata?.annotations ?? {};
          const id = a[ANNOTATIONS.binding];
          const notAfter = a[ANNOTATIONS.notAfter];
          const principal = item.subjects?.[0]?.name;
          if (!id || !notAfter || !principal) continue;
          out.push({
            id,
            requestId: item.metadata?.labels?.[LABELS.request] ?? id.split("/")[0]!,
            provider: "kubernetes",
            principal,
            notAfter,
            ...(a[ANNOTATIONS.notBefore] ? { notBefore: a[ANNOTATIONS.notBefore] } : {}),
            scope,
          });
        }
      }
      return out;
    },
    async reconcile({ put, remove }) {
      const report: ProviderReport = { done: [], failed: [] };
      for (const b of put) {
        if (!("kubernetes" in b.grant)) continue;
        const { cluster, namespace } = b.grant.kubernetes;
        if (Date.parse(b.notBefore) > now().getTime()) continue; // created when due, by a later sweep
        const body = bindingBody(b);
        try {
          const client = clusterOf(cluster);
          try {
            await client.create(namespace, body);
          } catch (e) {
            if (httpStatusOf(e) !== 409) throw e;
            try {
              await client.replace(namespace, body.metadata!.name!, body);
            } catch (e2) {
              if (httpStatusOf(e2) !== 422) throw e2;
              // roleRef is immutable: a changed role means delete and recreate.
              await client.remove(namespace, body.metadata!.name!);
              await client.create(namespace, body);
            }
          }
          report.done.push(b.id);
        } catch (e) {
          report.failed.push({ id: b.id, error: `${cluster}: ${describe(e)}` });
        }
      }
      for (const a of remove) {
        const [cluster, namespace] = a.scope.split("/");
        try {
          await clusterOf(cluster!).remove(namespace, objectName(a.id));
          report.done.push(a.id);
        } catch (e) {
          if (httpStatusOf(e) === 404) report.done.push(a.id);
          else report.failed.push({ id: a.id, error: `${cluster}: ${describe(e)}` });
        }
      }
      return report;
    },
  };
}
