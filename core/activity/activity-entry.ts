/** The clouds whose audit logs jitops reads. */
export type ActivityProvider = "gcp" | "azure" | "kubernetes";

/** The log an entry came from: GCP's Admin Activity or Data Access audit log, Azure's Activity Log, a cluster's audit webhook. */
export type ActivityLog = "admin-activity" | "data-access" | "activity-log" | "kubernetes-audit";

/** One call a principal made, as a cloud's audit log recorded it, in one shape for every cloud. */
export interface ActivityEntry {
  provider: ActivityProvider;
  log: ActivityLog;
  /** The log's own id (GCP insertId, Azure eventDataId, Kubernetes auditID): repeats are dropped by it. */
  id: string;
  /** When the call was made (RFC 3339). */
  time: string;
  /** Who called, as the log names them (an email, an object or client id, a Kubernetes user). */
  principal: string;
  /** The person behind the call when they impersonated `principal` (GCP serviceAccountDelegationInfo, Kubernetes impersonation). */
  onBehalfOf?: string;
  /** The application (client) id of a service principal's token, when the log names the caller by object id. */
  application?: string;
  /** The API (`sqladmin.googleapis.com`, `Microsoft.Storage`, `apps`). */
  service: string;
  /** The operation (`cloudsql.instances.list`, `Microsoft.Storage/storageAccounts/write`, `get pods`). */
  method: string;
  /** What it was called on. */
  resource: string;
  /** Permissions the call was checked against (GCP authorizationInfo, Azure operationName, Kubernetes verb and resource). */
  permissions: string[];
  /** The cloud refused it. */
  denied: boolean;
}
