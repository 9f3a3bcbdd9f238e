import type { ClusterGcp } from "../types.js";
import { kubernetesSubject } from "./kubernetes-issuer.js";

/** IAM's host in principal identifiers. */
const IAM = "iam.googleapis.com";

/** The Workload Identity pool of a GKE project: `projects/N/locations/global/workloadIdentityPools/PROJECT.svc.id.goog`. */
export function gkePool(gcp: Pick<ClusterGcp, "project" | "projectNumber">): string {
  return `projects/${gcp.projectNumber}/locations/global/workloadIdentityPools/${gcp.project}.svc.id.goog`;
}

/**
 * The principal identifier of a Kubernetes service account in GKE's pool (Workload Identity
 * Federation for GKE): `principal://iam.googleapis.com/projects/N/.../PROJECT.svc.id.goog/subject/ns/NS/sa/KSA`.
 */
export function gkePrincipal(
  gcp: Pick<ClusterGcp, "project" | "projectNumber">,
  namespace: string,
  serviceAccount: string,
): string {
  return `principal://${IAM}/${gkePool(gcp)}/subject/ns/${namespace}/sa/${serviceAccount}`;
}

/**
 * The principal of a Kubernetes service account federated through a pool provider that maps
 * `google.subject=assertion.sub`: `principal://iam.googleapis.com/POOL/subject/system:serviceaccount:NS:KSA`.
 */
export function poolPrincipal(pool: string, namespace: string, serviceAccount: string): string {
  return `principal://${IAM}/${pool}/subject/${kubernetesSubject(namespace, serviceAccount)}`;
}

/** The GKE STS audience the metadata server exchanges a pod's token with: `identitynamespace:POOL_ID:ISSUER`. */
export function gkeStsAudience(project: string, issuer: string): string {
  return `identitynamespace:${project}.svc.id.goog:${issuer}`;
}

/** Whether a member is one jitops writes for pods (GKE principals, or pool principals of a service account). */
export function isPodPrincipal(member: string): boolean {
  return (
    member.startsWith(`principal://${IAM}/projects/`) &&
    (/\/workloadIdentityPools\/[^/]+\.svc\.id\.goog\/subject\/ns\/[^/]+\/sa\/[^/]+$/.test(member) ||
      /\/subject\/system:serviceaccount:[^:/]+:[^:/]+$/.test(member))
  );
}
