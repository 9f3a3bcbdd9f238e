import type { ServiceRoutes, SimReply, SimRequest } from "../types.js";
import { bearerToken } from "../../shared/bearer-token.js";
import { parseJsonObject } from "../../shared/parse-json-object.js";
import { GcpError, gcpErrorBody, gcpReply } from "../../shared/gcp-error.js";
import { UNAUTHENTICATED } from "./gcp-errors.js";
import type { ServiceAccountPolicies } from "./sa-policies.js";
import type { WorkloadProviders } from "./workload-providers.js";

const PROVIDER =
  /^\/v1\/(projects\/[^/]+\/locations\/global\/workloadIdentityPools\/[^/]+\/providers\/[^/:]+)$/;
const PROVIDERS = /^\/v1\/(projects\/[^/]+\/locations\/global\/workloadIdentityPools\/[^/]+)\/providers$/;
const SA_POLICY = /^\/v1\/projects\/[^/]+\/serviceAccounts\/([^/:]+):(getIamPolicy|setIamPolicy)$/;

function operation(name: string, response: object): SimReply {
  const id = Math.random().toString(16).slice(2);
  return {
    status: 200,
    body: {
      name: `${name}/operations/${id}`,
      done: true,
      response: { "@type": "type.googleapis.com/google.iam.v1.WorkloadIdentityPoolProvider", ...response },
    },
  };
}

function answer(req: SimRequest, providers: WorkloadProviders, policies: ServiceAccountPolicies): SimReply {
  const body = parseJsonObject(req.raw);
  if (body === null) throw new GcpError(400, "Invalid JSON payload received.");
  let m = PROVIDER.exec(req.path);
  if (m && req.method === "GET") {
    const p = providers.get(m[1] ?? "");
    if (!p) throw new GcpError(404, `Requested entity was not found. Provider ${m[1]} does not exist.`);
    return { status: 200, body: p };
  }
  if (m && req.method === "PATCH") {
    const mask = req.query.get("updateMask") ?? req.query.get("update_mask");
    if (!mask)
      throw new GcpError(
        400,
        "update_mask is required: name the fields to change (e.g. attributeCondition,attributeMapping).",
      );
    return operation(m[1] ?? "", providers.patch(m[1] ?? "", body ?? {}, mask));
  }
  m = PROVIDERS.exec(req.path);
  if (m && req.method === "POST") {
    const id = req.query.get("workloadIdentityPoolProviderId");
    if (!id) throw new GcpError(400, "workloadIdentityPoolProviderId is required.");
    const b = body ?? {};
    const oidc = (b.oidc ?? {}) as { issuerUri?: string; allowedAudiences?: string[]; jwksJson?: string };
    const created = providers.create(`${m[1]}/providers/${id}`, {
      issuerUri: oidc.issuerUri ?? "",
      allowedAudiences: oidc.allowedAudiences,
      jwksJson: typeof oidc.jwksJson === "string" && oidc.jwksJson !== "" ? oidc.jwksJson : undefined,
      attributeMapping: (b.attributeMapping ?? {}) as Record<string, string>,
      attributeCondition: typeof b.attributeCondition === "string" ? b.attributeCondition : undefined,
      displayName: typeof b.displayName === "string" ? b.displayName : undefined,
      disabled: b.disabled === true,
    });
    return operation(created.name, created);
  }
  m = SA_POLICY.exec(req.path);
  if (m && req.method === "POST") {
    const email = m[1] ?? "";
    if (m[2] === "getIamPolicy") return { status: 200, body: policies.read(email) };
    return { status: 200, body: policies.write(email, body?.policy) };
  }
  throw new GcpError(404, `Method not found: ${req.method} ${req.path}`);
}

/** IAM v1: workload identity pool providers (get, patch, create) and service-account IAM policies. */
export function iamRoutes(providers: WorkloadProviders, policies: ServiceAccountPolicies): ServiceRoutes {
  return {
    service: "iam",
    prefix: "/iam",
    handle(req: SimRequest): SimReply {
      if (!bearerToken(req.headers)) return { status: 401, body: gcpErrorBody(401, UNAUTHENTICATED) };
      try {
        return answer(req, providers, policies);
      } catch (err) {
        return gcpReply(err);
      }
    },
    faultBody: (status, message) => gcpErrorBody(status, message),
  };
}
