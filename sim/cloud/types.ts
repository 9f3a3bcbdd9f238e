import type { IncomingHttpHeaders } from "node:http";
import type { JsonReply } from "../shared/json-reply.js";

/** The three simulated cloud services. */
export type CloudService = "gcp" | "azure" | "kubernetes";

/** A parsed request as a service handler sees it. */
export interface CloudRequest {
  method: string;
  /** URL path, percent-decoded once (GCP's `:getIamPolicy` may arrive as `%3A`). */
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  /** Raw body text ("" when none). */
  raw: string;
}

/** An HTTP answer: status, JSON body (omitted when undefined) and extra headers. */
export type CloudReply = JsonReply;

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
}
