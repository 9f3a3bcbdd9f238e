import { randomUUID } from "node:crypto";
import { K8sError } from "./k8s-status.js";

/** A `coordination.k8s.io/v1` Lease as the API server stores and returns it. */
export interface K8sLease {
  apiVersion: "coordination.k8s.io/v1";
  kind: "Lease";
  metadata: {
    name: string;
    namespace: string;
    uid: string;
    resourceVersion: string;
    creationTimestamp: string;
  };
  spec: {
    holderIdentity?: string;
    leaseDurationSeconds?: number;
    acquireTime?: string;
    renewTime?: string;
    leaseTransitions?: number;
  };
}

/**
 * Leases with the API server's optimistic concurrency: a replace must carry the stored
 * resourceVersion (else 409 Conflict), and a create of an existing name is 409 AlreadyExists.
 * That is all leader election needs from the server.
 */
export class Leases {
  private readonly store = new Map<string, K8sLease>();
  private version = 5000;

  constructor(private readonly clock: () => Date) {}

  get(ns: string, name: string): K8sLease {
    const l = this.store.get(`${ns}/${name}`);
    if (!l) throw new K8sError(404, `leases.coordination.k8s.io "${name}" not found`);
    return structuredClone(l);
  }

  create(ns: string, body: Record<string, unknown>): K8sLease {
    const meta = (body.metadata ?? {}) as { name?: string };
    if (!meta.name)
      throw new K8sError(422, "Lease.coordination.k8s.io is invalid: metadata.name: Required value");
    const key = `${ns}/${meta.name}`;
    if (this.store.has(key))
      throw new K8sError(409, `leases.coordination.k8s.io "${meta.name}" already exists`, "AlreadyExists");
    const lease: K8sLease = {
      apiVersion: "coordination.k8s.io/v1",
      kind: "Lease",
      metadata: {
        name: meta.name,
        namespace: ns,
        uid: randomUUID(),
        resourceVersion: String(++this.version),
        creationTimestamp: this.clock()
          .toISOString()
          .replace(/\.\d{3}Z$/, "Z"),
      },
      spec: (body.spec ?? {}) as K8sLease["spec"],
    };
    this.store.set(key, lease);
    return structuredClone(lease);
  }

  replace(ns: string, name: string, body: Record<string, unknown>): K8sLease {
    const old = this.get(ns, name);
    const rv = ((body.metadata ?? {}) as { resourceVersion?: string }).resourceVersion;
    if (rv !== old.metadata.resourceVersion)
      throw new K8sError(
        409,
        `Operation cannot be fulfilled on leases.coordination.k8s.io "${name}": the object has been modified; please apply your changes to the latest version and try again`,
      );
    const lease: K8sLease = {
      ...old,
      metadata: { ...old.metadata, resourceVersion: String(++this.version) },
      spec: (body.spec ?? {}) as K8sLease["spec"],
    };
    this.store.set(`${ns}/${name}`, lease);
    return structuredClone(lease);
  }

  /** Every lease, for tests. */
  all(): K8sLease[] {
    return [...this.store.values()].map((l) => structuredClone(l));
  }
}
