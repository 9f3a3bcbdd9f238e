/** An AccessRequest as written in access/requests/<name>.yaml. */
export interface AccessRequest {
  apiVersion: "jitops.dev/v1";
  kind: "AccessRequest";
  metadata: { name: string };
  spec: {
    entitlement: string;
    principal?: string;
    duration: string;
    start?: string;
    justification?: string;
    ticket?: string;
    breakGlass?: boolean;
  };
}

/** Whose approvals count towards a rule. */
export interface RuleSource {
  teams?: string[];
  users?: string[];
  codeowners?: boolean;
}

/** An approval rule: `count` distinct approvals from `from`. */
export interface ApprovalRule {
  name?: string;
  count: number;
  from: RuleSource;
}

/**
 * Periodic re-certification: how often (`every`), approved by whom (`reviewers`, one approval rule),
 * and what a lapse does (`onNoResponse`, default keep). In a file's `spec` it covers that file's
 * entitlements and workloads; on one of them, its keys override the file's.
 */
export interface CertificationCadence {
  every?: string;
  reviewers?: ApprovalRule;
  onNoResponse?: "keep" | "suspend";
}

/** One cloud grant of an entitlement; exactly one provider key is set. */
export type Grant =
  | { gcp: { resource: string; role: string } }
  | { azure: { scope: string; role: string } }
  | { kubernetes: { cluster: string; namespace?: string; role?: string; clusterRole?: string } };

/** A privilege that may be requested. */
export interface Entitlement {
  name: string;
  description?: string;
  grants: Grant[];
  eligible: { teams?: string[]; users?: string[] };
  maxDuration: string;
  /** Re-certification of who is eligible; overrides the policy file's spec.certification key by key. */
  certification?: CertificationCadence;
  require?: { justification?: boolean; ticket?: string | boolean };
  approval: "none" | ApprovalRule[];
  breakGlass?: { maxDuration: string };
  autoMerge?: boolean;
  requestForOthers?: boolean;
  /** Where this entitlement's requests are announced, over the policy's `notifications` (security adds, never replaces). */
  notify?: NotifyTargets;
}

/** A chat destination: a Slack channel (`#name` or id) and/or a Teams Workflows webhook by name. */
export interface Destination {
  slack?: string;
  teams?: string;
}

/** Who hears about a request: its approvers, its requester (Slack `direct` = a direct message), security. */
export interface NotifyTargets {
  approvers?: Destination;
  requester?: Destination;
  security?: Destination;
}

/** Policy-wide notifications: the destinations, and the Teams webhook names whose URLs the environment holds. */
export interface Notifications extends NotifyTargets {
  /** Names of Teams Workflows webhooks; the URL of `name` is in JITOPS_TEAMS_WEBHOOK_<NAME> at runtime. */
  teamsWebhooks?: string[];
}

/** One workload grant; exactly one provider key is set. */
export type WorkloadGrant =
  | { gcp: { serviceAccount: string; workloadIdentityProvider: string } }
  | { azure: { tenantId: string; clientId: string; subscriptionId?: string } };

/** A grant of a pod workload: the GCP provider (or GKE pool) comes from its cluster, not the grant. */
export type PodGrant =
  | { gcp: { serviceAccount: string } }
  | { azure: { tenantId: string; clientId: string; subscriptionId?: string } };

/** A GitHub Actions workflow that may obtain short-lived credentials. */
export interface GitHubWorkload {
  name: string;
  issuer?: string;
  repository: string;
  repositoryId: number;
  ownerId: number;
  ref?: string;
  environment?: string;
  workflow?: string;
  maxLifetime: string;
  /** Re-certification of this trust; overrides the policy file's spec.certification key by key. */
  certification?: CertificationCadence;
  grants: WorkloadGrant[];
}

/** Where a pod runs: its cluster (declared under `clusters`), namespace and Kubernetes service account. */
export interface PodIdentity {
  cluster: string;
  namespace: string;
  serviceAccount: string;
}

/** Pods running as one Kubernetes service account, federating through their cluster's issuer. */
export interface KubernetesWorkload {
  name: string;
  kubernetes: PodIdentity;
  maxLifetime: string;
  /** Re-certification of this trust; overrides the policy file's spec.certification key by key. */
  certification?: CertificationCadence;
  grants: PodGrant[];
}

/** A workload: a set of claims from one OIDC issuer (a GitHub Actions job, or a pod). */
export type Workload = GitHubWorkload | KubernetesWorkload;

/** Whether a workload is a pod (names `kubernetes`) rather than a GitHub Actions job. */
export function isKubernetesWorkload(w: Workload): w is KubernetesWorkload {
  return "kubernetes" in w && w.kubernetes !== undefined;
}

/** How GCP trusts a cluster: GKE's own pool (`PROJECT.svc.id.goog`), or a pool provider for its issuer. */
export interface ClusterGcp {
  project: string;
  projectNumber: number;
  /** GKE cluster whose project's Workload Identity pool is `PROJECT.svc.id.goog` (default false). */
  gke?: boolean;
  /** `projects/N/locations/global/workloadIdentityPools/P`; needed unless `gke`. */
  workloadIdentityPool?: string;
  /** Provider id in that pool (default: the cluster's name). */
  providerId?: string;
}

/** A Kubernetes cluster whose service-account tokens clouds trust. */
export interface Cluster {
  name: string;
  /** The cluster's service-account token issuer (`kube-apiserver --service-account-issuer`). */
  issuer: string;
  /** The issuer's keys, for a private issuer whose discovery document the cloud cannot reach. */
  jwks?: { keys: Record<string, unknown>[] };
  /** Where jitops fetches those keys when applying (uploaded to GCP as the provider's JWKS). */
  jwksUri?: string;
  gcp?: ClusterGcp;
  /** Azure (Entra) trusts the cluster's issuer with federated credentials. */
  azure?: boolean;
}

/** Cloud principals of one GitHub login. */
export interface PrincipalMap {
  gcp?: string;
  azure?: string;
  kubernetes?: string;
  /** Slack member id (U…/W…) for direct messages; not a cloud principal, never granted anything. */
  slack?: string;
}

/** The policy merged from every file under policies/. */
export interface Policy {
  principals: Record<string, PrincipalMap>;
  policyOwners: ApprovalRule[];
  entitlements: Entitlement[];
  workloads: Workload[];
  /** Kubernetes clusters pods federate from (loadPolicy always sets it). */
  clusters?: Cluster[];
  /** A policy file's own cadence (spec.certification); per file, so never set on the merged policy. */
  certification?: CertificationCadence;
  /** Chat notifications (absent: none are sent). */
  notifications?: Notifications;
}

/** A file as read from a tree: path relative to the repository root, and its text. */
export interface SourceFile {
  path: string;
  content: string;
}
