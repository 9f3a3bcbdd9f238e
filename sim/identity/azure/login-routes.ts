import { randomBytes } from "node:crypto";
import type { ServiceRoutes, SimReply, SimRequest } from "../types.js";
import { aadError } from "./aad-errors.js";
import type { AzureApps } from "./azure-apps.js";
import { matchAssertion } from "./federated-assertion.js";

const ROUTE =
  /^\/([^/]+)\/(v2\.0\/\.well-known\/openid-configuration|oauth2\/v2\.0\/token|discovery\/v2\.0\/keys)$/;
const JWT_BEARER = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
const LIFETIME_SEC = 3599;

function openidConfiguration(origin: string, tenant: string): Record<string, unknown> {
  const t = `${origin}/${tenant}`;
  return {
    token_endpoint: `${t}/oauth2/v2.0/token`,
    token_endpoint_auth_methods_supported: ["client_secret_post", "private_key_jwt", "client_secret_basic"],
    jwks_uri: `${t}/discovery/v2.0/keys`,
    response_modes_supported: ["query", "fragment", "form_post"],
    subject_types_supported: ["pairwise"],
    id_token_signing_alg_values_supported: ["RS256"],
    response_types_supported: ["code", "id_token", "code id_token", "id_token token"],
    scopes_supported: ["openid", "profile", "email", "offline_access"],
    issuer: `${t}/v2.0`,
    request_uri_parameter_supported: false,
    authorization_endpoint: `${t}/oauth2/v2.0/authorize`,
    device_authorization_endpoint: `${t}/oauth2/v2.0/devicecode`,
    end_session_endpoint: `${t}/oauth2/v2.0/logout`,
    tenant_region_scope: "EU",
    cloud_instance_name: "microsoftonline.com",
  };
}

async function token(apps: AzureApps, tenant: string, raw: string, now: Date): Promise<SimReply> {
  const form = new URLSearchParams(raw);
  const clientId = form.get("client_id") ?? "";
  const scope = form.get("scope") ?? "";
  if (form.get("grant_type") !== "client_credentials")
    return aadError(
      400,
      "unsupported_grant_type",
      70003,
      "The app requested an unsupported grant type 'client_credentials' was expected (only client credentials are simulated).",
      now,
    );
  const app = apps.byClientId(tenant, clientId);
  if (!app)
    return aadError(
      400,
      "unauthorized_client",
      700016,
      `Application with identifier '${clientId}' was not found in the directory '${tenant}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant.`,
      now,
    );
  const assertion = form.get("client_assertion");
  if (!assertion)
    return aadError(
      400,
      "invalid_request",
      7000218,
      "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.",
      now,
    );
  if (form.get("client_assertion_type") !== JWT_BEARER)
    return aadError(
      400,
      "invalid_request",
      50027,
      `Invalid client_assertion_type; expected ${JWT_BEARER}.`,
      now,
    );
  const scopes = scope.split(/\s+/).filter(Boolean);
  const resource = scopes.filter((s) => !["openid", "profile", "offline_access"].includes(s));
  if (resource.length !== 1 || !resource[0]?.endsWith("/.default"))
    return aadError(
      400,
      "invalid_scope",
      1002012,
      `The provided value for scope ${scope} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).`,
      now,
    );
  const match = await matchAssertion(assertion, app, apps.effectiveCredentials(app), now);
  if (!match.ok) return aadError(match.status, match.error, match.code, match.message, now);
  const access = `eyJ0eXAiOiJKV1QiLCJzaW0iOnRydWV9.sim-azure-${randomBytes(48).toString("base64url")}`;
  apps.recordToken({
    token: access,
    tenantId: tenant,
    clientId,
    scope: resource[0],
    issuedAt: now,
    expiresAt: new Date(now.getTime() + LIFETIME_SEC * 1000),
    credential: match.credential.name,
    subject: String(match.claims.sub),
  });
  return {
    status: 200,
    body: {
      token_type: "Bearer",
      expires_in: LIFETIME_SEC,
      ext_expires_in: LIFETIME_SEC,
      access_token: access,
    },
  };
}

/** Entra's v2.0 endpoints for a tenant: OIDC metadata (MSAL reads it) and the client-credentials token endpoint. */
export function loginRoutes(apps: AzureApps, clock: () => Date): ServiceRoutes {
  return {
    service: "azure-login",
    prefix: ROUTE,
    async handle(req: SimRequest): Promise<SimReply> {
      const m = ROUTE.exec(req.path);
      const tenant = m?.[1] ?? "";
      const what = m?.[2] ?? "";
      const now = clock();
      if (!apps.hasTenant(tenant))
        return aadError(
          400,
          "invalid_tenant",
          90002,
          `Tenant '${tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.`,
          now,
        );
      if (what === "discovery/v2.0/keys") return { status: 200, body: { keys: [] } };
      if (what.startsWith("v2.0/")) return { status: 200, body: openidConfiguration(req.origin, tenant) };
      if (req.method !== "POST")
        return aadError(405, "invalid_request", 900561, "The endpoint only accepts POST requests.", now);
      return token(apps, tenant, req.raw, now);
    },
    faultBody: (status, message) =>
      aadError(status, status >= 500 ? "temporarily_unavailable" : "invalid_request", 90033, message, clock())
        .body,
  };
}
