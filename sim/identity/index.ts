/** Embedded identity endpoints on loopback: a GitHub Actions OIDC issuer, GCP STS/IAM/IAM Credentials, Entra token and Graph. */
export {
  createIdentitySim,
  IdentitySim,
  type IdentitySimOptions,
  type IdentitySimUrls,
} from "./identity-sim.js";
/** A self-signed certificate for 127.0.0.1, for a test's own HTTPS loopback server. */
export { createLoopbackCertificate } from "./self-signed-cert.js";
export type { IdentityFaultSpec } from "./faults.js";
export type { IdentityCall, IdentityService } from "./types.js";
export type { GitHubJobClaims, SubjectForm } from "./issuer/github-claims.js";
export type { MintOptions } from "./issuer/oidc-issuer.js";
export type { PodTokenOptions } from "./issuer/cluster-issuers.js";
export type { CurrentJob } from "./issuer/issuer-routes.js";
export type { GcpIssuedToken } from "./gcp/gcp-tokens.js";
export type { SaBinding, SaPolicy } from "./gcp/sa-policies.js";
export type { StsRejection } from "./gcp/sts-routes.js";
export type { ProviderSpec, WorkloadIdentityProvider } from "./gcp/workload-providers.js";
export type { AzureApp, AzureIssuedToken, FederatedIdentityCredential } from "./azure/azure-apps.js";
