import type { IncomingHttpHeaders } from "node:http";
import type { JsonReply } from "../shared/json-reply.js";

/** The simulated identity services, each under its own path prefix of the one loopback server. */
export type IdentityService =
  "issuer" | "actions" | "sts" | "iamcredentials" | "iam" | "azure-login" | "graph" | "kubernetes";

/** A parsed request as a service sees it. */
export interface SimRequest {
  method: string;
  /** Path relative to the service's URL (`/v1/token` for STS), percent-decoded once. */
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  /** Raw body text ("" when none). */
  raw: string;
  /** Origin the request arrived on (`http://127.0.0.1:P` or `https://127.0.0.1:Q`). */
  origin: string;
}

/** An HTTP answer: status, JSON body (omitted when undefined) and extra headers. */
export type SimReply = JsonReply;

/** One service's HTTP surface. */
export interface ServiceRoutes {
  service: IdentityService;
  /** Path prefix on the server (`/sts`), or a matcher for services routed by shape (Azure login: `/{tenant}/...`). */
  prefix: string | RegExp;
  handle(req: SimRequest): Promise<SimReply> | SimReply;
  /** The error body a planned fault answers with, in the service's own shape. */
  faultBody(status: number, message: string): unknown;
}

/** One call as the call log records it. */
export interface IdentityCall {
  service: IdentityService;
  method: string;
  /** Path relative to the service URL. */
  path: string;
  status: number;
  /** True when a planned fault answered instead of the service. */
  faulted: boolean;
}
