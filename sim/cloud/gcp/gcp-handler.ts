import { parseJsonObject } from "../../shared/parse-json-object.js";
import type { CallClass, CloudReply, CloudRequest, CloudServiceHandler } from "../types.js";
import { gcpErrorBody, GcpError, gcpReply } from "../../shared/gcp-error.js";
import type { GcpIamPolicies } from "./iam-policies.js";
import type { GcpPolicy } from "./policy-types.js";

// Routes: https://cloud.google.com/resource-manager/reference/rest/v3/projects/getIamPolicy (and setIamPolicy;
// folders and organizations alike).
const ROUTE = /^\/v3\/((?:projects|folders|organizations)\/[^/:]+):(getIamPolicy|setIamPolicy)$/;

/** Policy JSON as Google serialises it: proto3 JSON leaves out an empty `bindings`. */
function policyJson(p: GcpPolicy): unknown {
  return { version: p.version, etag: p.etag, ...(p.bindings.length > 0 ? { bindings: p.bindings } : {}) };
}

function requestedVersion(body: Record<string, unknown> | undefined): number {
  const options = body?.options;
  if (options === undefined || options === null) return 0;
  if (typeof options !== "object") throw new GcpError(400, "options must be an object");
  const v = (options as Record<string, unknown>).requestedPolicyVersion;
  if (v === undefined) return 0;
  const n = typeof v === "string" ? Number(v) : v;
  if (typeof n !== "number" || !Number.isInteger(n))
    throw new GcpError(400, "requestedPolicyVersion must be an integer");
  return n;
}

/** Resource Manager v3 IAM endpoints (getIamPolicy, setIamPolicy) for projects, folders and organizations. */
export function gcpHandler(policies: GcpIamPolicies): CloudServiceHandler {
  return {
    service: "gcp",
    classify(req: CloudRequest): CallClass {
      const m = ROUTE.exec(req.path);
      if (!m)
        return { kind: req.method === "GET" ? "read" : "write", resource: "unknown", operation: "unknown" };
      return {
        kind: m[2] === "getIamPolicy" ? "read" : "write",
        resource: m[1] ?? "",
        operation: m[2] ?? "",
      };
    },
    handle(req: CloudRequest): CloudReply {
      try {
        const m = ROUTE.exec(req.path);
        if (!m || req.method !== "POST")
          throw new GcpError(404, `Method not found: ${req.method} ${req.path}`);
        const resource = m[1] ?? "";
        const body = parseJsonObject(req.raw);
        if (body === null) throw new GcpError(400, "Invalid JSON payload received.");
        if (m[2] === "getIamPolicy")
          return { status: 200, body: policyJson(policies.read(resource, requestedVersion(body))) };
        return {
          status: 200,
          body: policyJson(policies.write(resource, { policy: body?.policy, updateMask: body?.updateMask })),
        };
      } catch (err) {
        return gcpReply(err);
      }
    },
    faultBody(status: number, message: string | undefined): unknown {
      const fallback =
        status === 409
          ? "There were concurrent policy changes. Please retry the whole read-modify-write with exponential backoff."
          : status === 429
            ? "Quota exceeded for quota metric 'Write requests' of service 'cloudresourcemanager.googleapis.com'."
            : status >= 500
              ? "The service is currently unavailable."
              : "Simulated failure";
      return gcpErrorBody(status, message ?? fallback);
    },
    unauthenticated(): CloudReply {
      return {
        status: 401,
        body: gcpErrorBody(
          401,
          "Request is missing required authentication credential. Expected OAuth 2 access token, login cookie or other valid authentication credential.",
        ),
        headers: { "www-authenticate": 'Bearer realm="https://accounts.google.com/"' },
      };
    },
  };
}
