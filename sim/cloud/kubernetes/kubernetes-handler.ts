import { parseJsonObject } from "../../shared/parse-json-object.js";
import type { CallClass, CloudReply, CloudRequest, CloudServiceHandler } from "../types.js";
import { K8sError, statusBody } from "./k8s-status.js";
import type { Leases } from "./leases.js";
import type { BindingKind, K8sBinding, RbacBindings } from "./rbac-bindings.js";

// Paths: https://kubernetes.io/docs/reference/kubernetes-api/authorization-resources/role-binding-v1/
const BASE = "/apis/rbac.authorization.k8s.io/v1";
const NAMESPACED =
  /^\/apis\/rbac\.authorization\.k8s\.io\/v1\/namespaces\/([^/]+)\/rolebindings(?:\/([^/]+))?$/;
const CLUSTER =
  /^\/apis\/rbac\.authorization\.k8s\.io\/v1\/(rolebindings|clusterrolebindings)(?:\/([^/]+))?$/;

const LEASES = /^\/apis\/coordination\.k8s\.io\/v1\/namespaces\/([^/]+)\/leases(?:\/([^/]+))?$/;

/** The `coordination.k8s.io/v1` Lease endpoints a leader election uses: get, create, replace. */
function leaseRoute(leases: Leases, req: CloudRequest, ns: string, name: string | undefined): CloudReply {
  if (req.method === "POST" && !name) return { status: 201, body: leases.create(ns, body(req)) };
  if (name && req.method === "GET") return { status: 200, body: leases.get(ns, name) };
  if (name && req.method === "PUT") return { status: 200, body: leases.replace(ns, name, body(req)) };
  throw new K8sError(405, `the server does not allow this method on the requested resource`);
}

interface Matched {
  kind: BindingKind;
  namespace: string | undefined;
  name: string | undefined;
}

function match(path: string): Matched | undefined {
  const n = NAMESPACED.exec(path);
  if (n) return { kind: "RoleBinding", namespace: n[1], name: n[2] };
  const c = CLUSTER.exec(path);
  if (!c) return undefined;
  if (c[1] === "rolebindings")
    return c[2] ? undefined : { kind: "RoleBinding", namespace: undefined, name: undefined };
  return { kind: "ClusterRoleBinding", namespace: undefined, name: c[2] };
}

/** A list as the API server returns it: items without their own kind/apiVersion. */
function listJson(kind: BindingKind, items: K8sBinding[], resourceVersion: string): unknown {
  return {
    apiVersion: "rbac.authorization.k8s.io/v1",
    kind: `${kind}List`,
    metadata: { resourceVersion },
    items: items.map((b) => {
      const item: Partial<K8sBinding> = { ...b };
      delete item.apiVersion;
      delete item.kind;
      return item;
    }),
  };
}

function body(req: CloudRequest): Record<string, unknown> {
  const b = parseJsonObject(req.raw);
  if (!b)
    throw new K8sError(
      400,
      "the body of the request was in an unknown format - accepted media types include: application/json",
    );
  return b;
}

function route(rbac: RbacBindings, leases: Leases, req: CloudRequest): CloudReply {
  const lease = LEASES.exec(req.path);
  if (lease) return leaseRoute(leases, req, lease[1]!, lease[2]);
  const m = match(req.path);
  if (!m) throw new K8sError(404, "the server could not find the requested resource");
  const { kind, namespace: ns, name } = m;
  const collectionOnly = kind === "RoleBinding" && ns === undefined;
  if (req.method === "GET" && !name) {
    const items = rbac.list(kind, ns, req.query.get("labelSelector"));
    const rv = items.reduce((max, b) => Math.max(max, Number(b.metadata.resourceVersion)), 1000);
    return { status: 200, body: listJson(kind, items, String(rv)) };
  }
  if (req.method === "POST" && !name && !collectionOnly)
    return { status: 201, body: rbac.create(kind, ns, body(req)) };
  if (name && req.method === "GET") return { status: 200, body: rbac.get(kind, ns, name) };
  if (name && req.method === "PUT") {
    const r = rbac.replace(kind, ns, name, body(req));
    return { status: r.created ? 201 : 200, body: r.binding };
  }
  if (name && req.method === "DELETE") return { status: 200, body: rbac.delete(kind, ns, name) };
  throw new K8sError(405, `the server does not allow this method on the requested resource`);
}

/** The API server's `rbac.authorization.k8s.io/v1` RoleBinding and ClusterRoleBinding endpoints. */
export function kubernetesHandler(rbac: RbacBindings, leases: Leases): CloudServiceHandler {
  return {
    service: "kubernetes",
    classify(req: CloudRequest): CallClass {
      const m = match(req.path);
      const kind = req.method === "GET" ? "read" : "write";
      const lease = LEASES.exec(req.path);
      if (lease)
        return {
          kind,
          resource: `${lease[1]}/leases/${lease[2] ?? "*"}`,
          operation: `leases.${{ GET: "get", POST: "create", PUT: "replace" }[req.method] ?? req.method.toLowerCase()}`,
        };
      if (!m)
        return {
          kind,
          resource: req.path.startsWith(BASE) ? req.path.slice(BASE.length) : "unknown",
          operation: "unknown",
        };
      const verb =
        { GET: m.name ? "get" : "list", POST: "create", PUT: "replace", DELETE: "delete" }[req.method] ??
        req.method.toLowerCase();
      const plural = m.kind === "RoleBinding" ? "rolebindings" : "clusterrolebindings";
      return {
        kind,
        resource: `${m.namespace ?? "*"}/${plural}/${m.name ?? "*"}`,
        operation: `${plural}.${verb}`,
      };
    },
    handle(req: CloudRequest): CloudReply {
      try {
        return route(rbac, leases, req);
      } catch (err) {
        if (err instanceof K8sError)
          return { status: err.code, body: statusBody(err.code, err.message, err.reason, err.details) };
        throw err;
      }
    },
    faultBody(status: number, message: string | undefined): unknown {
      return statusBody(
        status,
        message ?? (status === 429 ? "Too many requests, please try again later." : "Simulated failure"),
      );
    },
    unauthenticated(): CloudReply {
      return { status: 401, body: statusBody(401, "Unauthorized") };
    },
  };
}
