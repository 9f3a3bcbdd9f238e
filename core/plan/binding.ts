import type { Grant } from "../types.js";

/** Cloud providers jitops grants through. */
export type ProviderName = "gcp" | "azure" | "kubernetes";

/** Marker that every jitops-made binding carries (GCP condition title prefix, label, annotation). */
export const MARKER = "jitops";

/** One expiring binding of one grant of one request: what a provider applies. */
export interface Binding {
  /** Deterministic: `<request-id>/<provider>/<grant index>`; the same request always maps to the same ids. */
  id: string;
  requestId: string;
  provider: ProviderName;
  grant: Grant;
  /** The grantee as this provider names them (GCP member, Entra object id, Kubernetes user). */
  principal: string;
  /** GitHub login of the grantee, for humans and audit. */
  login: string;
  entitlement: string;
  notBefore: string;
  notAfter: string;
  /** The request asked for a later start, so the provider must enforce notBefore too. */
  startsLater: boolean;
}

/** The provider a grant names. */
export function providerOf(g: Grant): ProviderName {
  return "gcp" in g ? "gcp" : "azure" in g ? "azure" : "kubernetes";
}

/** The deterministic id of a request's grant. */
export function bindingId(requestId: string, provider: ProviderName, index: number): string {
  return `${requestId}/${provider}/${index}`;
}

/** The GCP condition title of a request's bindings. */
export function conditionTitle(requestId: string): string {
  return `${MARKER}:${requestId}`;
}
