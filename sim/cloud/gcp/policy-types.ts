/**
 * IAM policy types as Resource Manager v3 returns them.
 * Shape: https://cloud.google.com/resource-manager/reference/rest/Shared.Types/Policy
 */
export interface GcpCondition {
  title: string;
  description?: string;
  expression: string;
}

/** One role binding; `condition` only in version 3 policies. */
export interface GcpBinding {
  role: string;
  members: string[];
  condition?: GcpCondition;
}

/** An IAM policy: version, etag and bindings. */
export interface GcpPolicy {
  version: number;
  etag: string;
  bindings: GcpBinding[];
}
