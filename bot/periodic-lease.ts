import { httpStatusOf } from "../providers/http-status.js";
import { CoordinationV1Api, V1MicroTime, type KubeConfig, type V1Lease } from "@kubernetes/client-node";
import type { Clock } from "../core/clock.js";

/** Where the lease lives and who this replica is. */
export interface LeaseOptions {
  namespace: string;
  name: string;
  /** This replica's identity (the pod name): what `holderIdentity` says. */
  identity: string;
  /** How long a holder keeps the lease without renewing it; longer than the pass interval. */
  durationSeconds: number;
  now: Clock;
}

/** Decides whether this replica runs the periodic passes now. */
export interface PeriodicLease {
  /** Acquires or renews the lease; true when this replica holds it afterwards. */
  tryAcquire(): Promise<boolean>;
}

/**
 * A `coordination.k8s.io/v1` Lease, so N replicas do not spend N times the API budget on the same
 * periodic pass: before each pass, a replica acquires the lease (free, expired, or already its
 * own) with the API server's optimistic concurrency; a 409 means another replica won. Running the
 * passes on every replica stays safe (they are idempotent); the lease only saves calls.
 */
export function kubernetesLease(kc: KubeConfig, o: LeaseOptions): PeriodicLease {
  const api = kc.makeApiClient(CoordinationV1Api);
  const spec = (prior: V1Lease | undefined, now: Date): V1Lease["spec"] => {
    const mine = prior?.spec?.holderIdentity === o.identity;
    return {
      holderIdentity: o.identity,
      leaseDurationSeconds: o.durationSeconds,
      acquireTime: new V1MicroTime(mine && prior?.spec?.acquireTime ? prior.spec.acquireTime : now),
      renewTime: new V1MicroTime(now),
      leaseTransitions: (prior?.spec?.leaseTransitions ?? 0) + (prior && !mine ? 1 : 0),
    };
  };
  return {
    async tryAcquire() {
      const now = o.now();
      let current: V1Lease | undefined;
      try {
        current = await api.readNamespacedLease({ name: o.name, namespace: o.namespace });
      } catch (e) {
        if (httpStatusOf(e) !== 404) throw e;
      }
      try {
        if (!current) {
          await api.createNamespacedLease({
            namespace: o.namespace,
            body: { metadata: { name: o.name, namespace: o.namespace }, spec: spec(undefined, now) },
          });
          return true;
        }
        const held = current.spec?.holderIdentity;
        const renewed = current.spec?.renewTime ? new Date(current.spec.renewTime).getTime() : 0;
        const expires = renewed + (current.spec?.leaseDurationSeconds ?? 0) * 1000;
        if (held && held !== o.identity && expires > now.getTime()) return false;
        await api.replaceNamespacedLease({
          name: o.name,
          namespace: o.namespace,
          body: { ...current, spec: spec(current, now) },
        });
        return true;
      } catch (e) {
        if (httpStatusOf(e) === 409) return false; // another replica acquired it first
        throw e;
      }
    },
  };
}
