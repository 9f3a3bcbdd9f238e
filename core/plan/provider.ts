import type { Binding, ProviderName } from "./binding.js";
import type { ActualBinding } from "./diff-bindings.js";

/** What a provider did with one batch: the binding ids it applied or removed, and those that failed. */
export interface ProviderReport {
  done: string[];
  failed: { id: string; error: string }[];
}

/**
 * A cloud that holds expiring bindings. Implementations live in providers/; core only plans.
 * Both methods are idempotent: applying what is there or removing what is gone changes nothing.
 */
export interface Provider {
  readonly name: ProviderName;
  /** The jitops-made bindings (carrying the jitops marker) held on the given scopes. */
  list(scopes: string[]): Promise<ActualBinding[]>;
  /** Puts (adds or updates) and removes bindings; only ever touches jitops-made entries. */
  reconcile(changes: { put: Binding[]; remove: ActualBinding[] }): Promise<ProviderReport>;
}

/** The scope a grant binds on: GCP resource, Azure scope, or `cluster/namespace` for Kubernetes. */
export function scopeOf(b: Pick<Binding, "grant">): string {
  const g = b.grant;
  if ("gcp" in g) return g.gcp.resource;
  if ("azure" in g) return g.azure.scope;
  return g.kubernetes.namespace ? `${g.kubernetes.cluster}/${g.kubernetes.namespace}` : g.kubernetes.cluster;
}
