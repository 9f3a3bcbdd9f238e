import { randomUUID } from "node:crypto";
import { K8sError, statusBody, type StatusDetails } from "./k8s-status.js";
import { compileLabelSelector } from "./label-selector.js";

const GROUP = "rbac.authorization.k8s.io";
/** Verbs of the default user-facing ClusterRoles (https://kubernetes.io/docs/reference/access-authn-authz/rbac/#user-facing-roles). */
const EDIT_VERBS = ["get", "list", "watch", "create", "update", "patch", "delete", "deletecollection"];
const DEFAULT_CLUSTER_ROLES: Record<string, string[]> = {
  view: ["get", "list", "watch"],
  edit: EDIT_VERBS,
  admin: EDIT_VERBS,
  "cluster-admin": ["*"],
};

/** RoleBinding (namespaced) or ClusterRoleBinding. */
export type BindingKind = "RoleBinding" | "ClusterRoleBinding";

/** A subject of a binding. */
export interface K8sSubject {
  kind: string;
  name: string;
  apiGroup?: string;
  namespace?: string;
}

/** The role a binding grants; immutable once created. */
export interface K8sRoleRef {
  apiGroup: string;
  kind: string;
  name: string;
}

/** A stored binding, as the API server returns it. */
export interface K8sBinding {
  apiVersion: "rbac.authorization.k8s.io/v1";
  kind: BindingKind;
  metadata: {
    name: string;
    namespace?: string;
    uid: string;
    resourceVersion: string;
    creationTimestamp: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
  roleRef: K8sRoleRef;
  subjects?: K8sSubject[];
}

function plural(kind: BindingKind): string {
  return kind === "RoleBinding" ? "rolebindings" : "clusterrolebindings";
}

function key(kind: BindingKind, ns: string | undefined, name: string): string {
  return `${kind}/${ns ?? ""}/${name}`;
}

type Cause = { reason: string; message: string; field: string };

function invalid(kind: BindingKind, name: string, causes: Cause[]): K8sError {
  const list = causes.map((c) => `${c.field}: ${c.message}`);
  const message = `${kind}.${GROUP} "${name}" is invalid: ${list.length === 1 ? list[0] : `[${list.join(", ")}]`}`;
  return new K8sError(422, message, "Invalid", { name, group: GROUP, kind, causes });
}

function validate(kind: BindingKind, body: Record<string, unknown>, name: string): Cause[] {
  const causes: Cause[] = [];
  const add = (field: string, message: string, reason = "FieldValueInvalid"): void => {
    causes.push({ reason, message, field });
  };
  if (!name || name === "." || name === ".." || /[/%]/.test(name))
    add(
      "metadata.name",
      name
        ? `Invalid value: "${name}": may not contain '/' or '%'`
        : "Required value: name or generateName is required",
      name ? "FieldValueInvalid" : "FieldValueRequired",
    );
  const ref = body.roleRef as Record<string, unknown> | undefined;
  if (!ref || typeof ref !== "object") add("roleRef", "Required value", "FieldValueRequired");
  else {
    if (ref.apiGroup !== GROUP)
      add(
        "roleRef.apiGroup",
        `Unsupported value: "${String(ref.apiGroup ?? "")}": supported values: "${GROUP}"`,
        "FieldValueNotSupported",
      );
    const kinds = kind === "RoleBinding" ? ["Role", "ClusterRole"] : ["ClusterRole"];
    if (!kinds.includes(String(ref.kind)))
      add(
        "roleRef.kind",
        `Unsupported value: "${String(ref.kind ?? "")}": supported values: ${kinds.map((k) => `"${k}"`).join(", ")}`,
        "FieldValueNotSupported",
      );
    if (typeof ref.name !== "string" || ref.name === "")
      add("roleRef.name", "Required value", "FieldValueRequired");
  }
  const subjects = body.subjects;
  if (subjects !== undefined && subjects !== null && !Array.isArray(subjects))
    add("subjects", "Invalid value: must be a list");
  (Array.isArray(subjects) ? subjects : []).forEach((raw: unknown, i) => {
    const s = (raw ?? {}) as Record<string, unknown>;
    const f = `subjects[${i}]`;
    if (typeof s.name !== "string" || s.name === "") add(`${f}.name`, "Required value", "FieldValueRequired");
    if (s.kind === "ServiceAccount") {
      if (s.apiGroup)
        add(
          `${f}.apiGroup`,
          `Unsupported value: "${String(s.apiGroup)}": supported values: ""`,
          "FieldValueNotSupported",
        );
      if (kind === "ClusterRoleBinding" && !s.namespace)
        add(`${f}.namespace`, "Required value", "FieldValueRequired");
    } else if (s.kind === "User" || s.kind === "Group") {
      if (s.apiGroup !== GROUP)
        add(
          `${f}.apiGroup`,
          `Unsupported value: "${String(s.apiGroup ?? "")}": supported values: "${GROUP}"`,
          "FieldValueNotSupported",
        );
    } else
      add(
        `${f}.kind`,
        `Unsupported value: "${String(s.kind ?? "")}": supported values: "ServiceAccount", "User", "Group"`,
        "FieldValueNotSupported",
      );
  });
  return causes;
}

/** Kubernetes RBAC bindings: create, get, list, replace, delete with API server semantics, and access checks. */
export class RbacBindings {
  private readonly bindings = new Map<string, K8sBinding>();
  private readonly namespaces = new Set(["default", "kube-system", "kube-public", "kube-node-lease"]);
  private readonly roles = new Map<string, string[]>();
  private version = 1000;

  constructor(private readonly clock: () => Date) {}

  /** Makes a namespace exist (bindings in unknown namespaces are refused with 404). */
  addNamespace(name: string): void {
    this.namespaces.add(name);
  }

  /** Defines the verbs of a Role (`namespace` given) or ClusterRole, for `can` checks. */
  defineRole(name: string, verbs: string[], namespace?: string): void {
    this.roles.set(`${namespace ?? ""}/${name}`, [...verbs]);
  }

  private checkNamespace(kind: BindingKind, ns: string | undefined): void {
    if (kind === "RoleBinding" && ns !== undefined && !this.namespaces.has(ns))
      throw new K8sError(404, `namespaces "${ns}" not found`, "NotFound", { name: ns, kind: "namespaces" });
  }

  private notFound(kind: BindingKind, name: string): K8sError {
    return new K8sError(404, `${plural(kind)}.${GROUP} "${name}" not found`, "NotFound", {
      name,
      group: GROUP,
      kind: plural(kind),
    });
  }

  private build(
    kind: BindingKind,
    ns: string | undefined,
    body: Record<string, unknown>,
    urlName?: string,
  ): K8sBinding {
    const meta = (body.metadata ?? {}) as Record<string, unknown>;
    const name = typeof meta.name === "string" ? meta.name : "";
    if (body.kind !== undefined && body.kind !== kind)
      throw new K8sError(400, `${kind} in version "v1" cannot be handled as a ${String(body.kind)}`);
    if (body.apiVersion !== undefined && body.apiVersion !== `${GROUP}/v1`)
      throw new K8sError(
        400,
        `the API version in the data (${String(body.apiVersion)}) does not match the expected API version (${GROUP}/v1)`,
      );
    if (kind === "RoleBinding" && meta.namespace !== undefined && meta.namespace !== ns)
      throw new K8sError(
        400,
        "the namespace of the provided object does not match the namespace sent on the request",
      );
    if (urlName !== undefined && name !== urlName)
      throw new K8sError(
        400,
        `the name of the object (${name}) does not match the name on the URL (${urlName})`,
      );
    const causes = validate(kind, body, name);
    if (causes.length > 0) throw invalid(kind, name, causes);
    const ref = body.roleRef as K8sRoleRef;
    return {
      apiVersion: `${GROUP}/v1`,
      kind,
      metadata: {
        name,
        ...(kind === "RoleBinding" ? { namespace: ns } : {}),
        uid: randomUUID(),
        resourceVersion: String(++this.version),
        creationTimestamp: this.clock()
          .toISOString()
          .replace(/\.\d{3}Z$/, "Z"),
        ...(meta.labels ? { labels: { ...(meta.labels as Record<string, string>) } } : {}),
        ...(meta.annotations ? { annotations: { ...(meta.annotations as Record<string, string>) } } : {}),
      },
      roleRef: { apiGroup: ref.apiGroup, kind: ref.kind, name: ref.name },
      ...(Array.isArray(body.subjects) ? { subjects: structuredClone(body.subjects as K8sSubject[]) } : {}),
    };
  }

  /** POST: 409 AlreadyExists when the name is taken. */
  create(kind: BindingKind, ns: string | undefined, body: Record<string, unknown>): K8sBinding {
    this.checkNamespace(kind, ns);
    const b = this.build(kind, ns, body);
    const k = key(kind, ns, b.metadata.name);
    if (this.bindings.has(k))
      throw new K8sError(
        409,
        `${plural(kind)}.${GROUP} "${b.metadata.name}" already exists`,
        "AlreadyExists",
        {
          name: b.metadata.name,
          group: GROUP,
          kind: plural(kind),
        },
      );
    this.bindings.set(k, b);
    return structuredClone(b);
  }

  /** GET one: 404 NotFound. */
  get(kind: BindingKind, ns: string | undefined, name: string): K8sBinding {
    const b = this.bindings.get(key(kind, ns, name));
    if (!b) throw this.notFound(kind, name);
    return structuredClone(b);
  }

  /** GET a list (all namespaces when `ns` is undefined), filtered by a label selector. */
  list(kind: BindingKind, ns: string | undefined, labelSelector: string | null): K8sBinding[] {
    const match = labelSelector ? compileLabelSelector(labelSelector) : () => true;
    if (typeof match === "string") throw new K8sError(400, `unable to parse requirement: ${match}`);
    return [...this.bindings.values()]
      .filter((b) => b.kind === kind && (ns === undefined || b.metadata.namespace === ns))
      .filter((b) => match(b.metadata.labels ?? {}))
      .map((b) => structuredClone(b));
  }

  /** PUT: creates when absent (RBAC allows create on update); roleRef is immutable (422). */
  replace(
    kind: BindingKind,
    ns: string | undefined,
    name: string,
    body: Record<string, unknown>,
  ): { binding: K8sBinding; created: boolean } {
    this.checkNamespace(kind, ns);
    const k = key(kind, ns, name);
    const old = this.bindings.get(k);
    const next = this.build(kind, ns, body, name);
    if (!old) {
      this.bindings.set(k, next);
      return { binding: structuredClone(next), created: true };
    }
    const rv = ((body.metadata ?? {}) as Record<string, unknown>).resourceVersion;
    if (rv !== undefined && rv !== "" && rv !== old.metadata.resourceVersion)
      throw new K8sError(
        409,
        `Operation cannot be fulfilled on ${plural(kind)}.${GROUP} "${name}": the object has been modified; please apply your changes to the latest version and try again`,
        "Conflict",
        { name, group: GROUP, kind: plural(kind) },
      );
    const a = old.roleRef;
    const b = next.roleRef;
    if (a.apiGroup !== b.apiGroup || a.kind !== b.kind || a.name !== b.name) {
      const shown = `rbac.RoleRef{APIGroup:"${b.apiGroup}", Kind:"${b.kind}", Name:"${b.name}"}`;
      throw invalid(kind, name, [
        {
          reason: "FieldValueInvalid",
          message: `Invalid value: ${shown}: cannot change roleRef`,
          field: "roleRef",
        },
      ]);
    }
    next.metadata.uid = old.metadata.uid;
    next.metadata.creationTimestamp = old.metadata.creationTimestamp;
    this.bindings.set(k, next);
    return { binding: structuredClone(next), created: false };
  }

  /** DELETE: a success Status, or 404 NotFound. */
  delete(kind: BindingKind, ns: string | undefined, name: string): unknown {
    const k = key(kind, ns, name);
    const b = this.bindings.get(k);
    if (!b) throw this.notFound(kind, name);
    this.bindings.delete(k);
    const details: StatusDetails = { name, group: GROUP, kind: plural(kind), uid: b.metadata.uid };
    return statusBody(200, "", undefined, details);
  }

  /** Every binding (copies). */
  all(): K8sBinding[] {
    return [...this.bindings.values()].map((b) => structuredClone(b));
  }

  /** Whether `user` (a User name or `system:serviceaccount:ns:name`) is bound to `role` in `namespace` (and may `verb`). */
  can(q: { user: string; namespace: string; role: string; verb?: string }): boolean {
    const sa = /^system:serviceaccount:([^:]+):(.+)$/.exec(q.user);
    const isSubject = (s: K8sSubject, bindingNs: string | undefined): boolean =>
      sa
        ? s.kind === "ServiceAccount" && s.name === sa[2] && (s.namespace ?? bindingNs) === sa[1]
        : s.kind === "User" && s.name === q.user;
    return [...this.bindings.values()].some((b) => {
      if (b.roleRef.name !== q.role) return false;
      if (b.kind === "RoleBinding" && b.metadata.namespace !== q.namespace) return false;
      if (!(b.subjects ?? []).some((s) => isSubject(s, b.metadata.namespace))) return false;
      if (!q.verb) return true;
      const verbs =
        b.roleRef.kind === "Role"
          ? this.roles.get(`${b.metadata.namespace ?? ""}/${b.roleRef.name}`)
          : (this.roles.get(`/${b.roleRef.name}`) ?? DEFAULT_CLUSTER_ROLES[b.roleRef.name]);
      return !!verbs && (verbs.includes("*") || verbs.includes(q.verb));
    });
  }
}
