/** Embedded cloud endpoints for grants (GCP IAM, Azure PIM, Kubernetes RBAC) on loopback, with a state API. */
export { CloudSim, createCloudSim, type CloudSimOptions, type CloudSimUrls } from "./cloud-sim.js";
export type { CallCounts } from "./call-stats.js";
export type { CloudFaultSpec } from "./faults.js";
export type { CallAudit, CloudCall, CloudService, SimCaller } from "./types.js";
export type { GcpBinding, GcpCondition, GcpPolicy } from "./gcp/policy-types.js";
export type { PimSchedule } from "./azure/pim-schedules.js";
export { BUILT_IN_ROLES, type BuiltInRole } from "./azure/built-in-roles.js";
export type { BindingKind, K8sBinding, K8sRoleRef, K8sSubject } from "./kubernetes/rbac-bindings.js";
