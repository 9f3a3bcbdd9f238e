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
  require?: { justification?: boolean; ticket?: string | boolean };
  approval: "none" | ApprovalRule[];
  breakGlass?: { maxDuration: string };
  autoMerge?: boolean;
  requestForOthers?: boolean;
}

/** One workload grant; exactly one provider key is set. */
export type WorkloadGrant =
  | { gcp: { serviceAccount: string; workloadIdentityProvider: string } }
  | { azure: { tenantId: string; clientId: string; subscriptionId?: string } };

/** A workflow that may obtain short-lived credentials. */
export interface Workload {
  name: string;
  issuer?: string;
  repository: string;
  repositoryId: number;
  ownerId: number;
  ref?: string;
  environment?: string;
  workflow?: string;
  maxLifetime: string;
  grants: WorkloadGrant[];
}

/** Cloud principals of one GitHub login. */
export interface PrincipalMap {
  gcp?: string;
  azure?: string;
  kubernetes?: string;
}

/** The policy merged from every file under policies/. */
export interface Policy {
  principals: Record<string, PrincipalMap>;
  policyOwners: ApprovalRule[];
  entitlements: Entitlement[];
  workloads: Workload[];
}

/** A file as read from a tree: path relative to the repository root, and its text. */
export interface SourceFile {
  path: string;
  content: string;
}
