import type { IncomingHttpHeaders } from "node:http";
import type { JsonReply } from "../shared/json-reply.js";

/** The three simulated cloud services. */
export type CloudService = "gcp" | "azure" | "kubernetes";

/** A parsed request as a service handler sees it. */
export interface CloudRequest {
  /** The caller of a token issued by `cloud.signIn`. */
  caller?: SimCaller;
  method: string;
  /** URL path, percent-decoded once (GCP's `:getIamPolicy` may arrive as `%3A`). */
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  /** Raw body text ("" when none). */
  raw: string;
}

/** What a cloud's audit log records of a call a principal made: the permission checked and the outcome. */
export interface CallAudit {
  /** `sqladmin.googleapis.com`, `Microsoft.Storage`. */
  serviceName: string;
  /** `cloudsql.instances.list`, `Microsoft.Storage/storageAccounts/write`. */
  methodName: string;
  resourceName: string;
  permission: string;
  granted: boolean;
  /** GCP: the Admin Activity or the Data Access log; Azure: the Activity Log (writes only). */
  log: "activity" | "data_access" | "activity-log";
  /** Where the entry is kept: a GCP project (`projects/p`), an Azure subscription id. */
  container: string;
}

/** An HTTP answer: status, JSON body (omitted when undefined) and extra headers; `audit` when the call is audited. */
export type CloudReply = JsonReply & { audit?: CallAudit };

/** Who a bearer token belongs to (`cloud.signIn`), as the clouds' audit logs name them. */
export interface SimCaller {
  /** GCP member (`user:a@b`, `serviceAccount:x@p.iam.gserviceaccount.com`) or Azure object id, or a Kubernetes user. */
  principal: string;
  /** Who impersonated it (a GCP service account used by a person). */
  delegatedBy?: string;
}

/** How a call counts: a read or a write, on which resource, by which operation. */
export interface CallClass {
  kind: "read" | "write";
  /** The resource the call is about: a GCP resource name, an Azure scope, a Kubernetes namespace/name. */
  resource: string;
  /** A short operation name, e.g. `setIamPolicy`, `roleAssignmentScheduleRequests.create`, `rolebindings.list`. */
  operation: string;
}

/** One service's HTTP surface: classify a call (for counting, even when a fault answers it), then answer it. */
export interface CloudServiceHandler {
  service: CloudService;
  classify(req: CloudRequest): CallClass;
  handle(req: CloudRequest): CloudReply;
  /** The error body a planned fault answers with when the fault gives none. */
  faultBody(status: number, message: string | undefined): unknown;
  /** The 401 answer for a call without a bearer token. */
  unauthenticated(): CloudReply;
}

/** One call as the call log records it. */
export interface CloudCall extends CallClass {
  service: CloudService;
  method: string;
  path: string;
  status: number;
  /** True when a planned fault answered instead of the service. */
  faulted: boolean;
  /** When the call arrived (the simulator's clock). */
  time?: string;
  /** Who made it, when its token was issued by `cloud.signIn`. */
  caller?: SimCaller;
  /** What the audit log records of it. */
  audit?: CallAudit;
  /** When its audit entry reaches the log (`time` plus the ingestion delay then set). */
  loggedAt?: string;
}
