import type { ServiceRoutes, SimReply, SimRequest } from "../types.js";
import { bearerToken } from "../../shared/bearer-token.js";
import { parseJsonObject } from "../../shared/parse-json-object.js";
import { GcpError, gcpErrorBody, gcpReply } from "../../shared/gcp-error.js";
import { UNAUTHENTICATED } from "./gcp-errors.js";
import { opaqueToken, type GcpTokens } from "./gcp-tokens.js";
import type { ServiceAccountPolicies } from "./sa-policies.js";

const ROUTE = /^\/v1\/projects\/-\/serviceAccounts\/([^/:]+):generateAccessToken$/;
const IAM_SCOPES = ["https://www.googleapis.com/auth/cloud-platform", "https://www.googleapis.com/auth/iam"];
const MAX_LIFETIME_SEC = 3600;

function denied(): GcpError {
  return new GcpError(
    403,
    "Permission 'iam.serviceAccounts.getAccessToken' denied on resource (or it may not exist).",
    [
      {
        "@type": "type.googleapis.com/google.rpc.ErrorInfo",
        reason: "IAM_PERMISSION_DENIED",
        domain: "iam.googleapis.com",
        metadata: { permission: "iam.serviceAccounts.getAccessToken" },
      },
    ],
  );
}

function lifetimeSec(v: unknown): number {
  if (v === undefined) return MAX_LIFETIME_SEC;
  const m = typeof v === "string" ? /^(\d+)(\.\d+)?s$/.exec(v) : null;
  if (!m)
    throw new GcpError(
      400,
      `Invalid value at 'lifetime' (type.googleapis.com/google.protobuf.Duration), "${String(v)}"; expected e.g. "600s".`,
    );
  const sec = Number(m[1]);
  if (sec <= 0 || sec > MAX_LIFETIME_SEC)
    throw new GcpError(
      400,
      `The lifetime ${String(v)} is out of range: it must be between 1s and ${MAX_LIFETIME_SEC}s (12h needs the constraints/iam.allowServiceAccountCredentialLifetimeExtension org policy).`,
    );
  return sec;
}

/** `POST /v1/projects/-/serviceAccounts/EMAIL:generateAccessToken` of iamcredentials.googleapis.com. */
export function iamCredentialsRoutes(deps: {
  policies: ServiceAccountPolicies;
  tokens: GcpTokens;
  clock: () => Date;
}): ServiceRoutes {
  return {
    service: "iamcredentials",
    prefix: "/iamcredentials",
    handle(req: SimRequest): SimReply {
      try {
        const m = ROUTE.exec(req.path);
        if (!m || req.method !== "POST")
          throw new GcpError(404, `Method not found: ${req.method} ${req.path}`);
        const now = deps.clock();
        const caller = deps.tokens.valid(bearerToken(req.headers) ?? "", now);
        if (!caller)
          return {
            status: 401,
            body: gcpErrorBody(401, UNAUTHENTICATED),
            headers: {
              "www-authenticate": 'Bearer realm="https://accounts.google.com/", error="invalid_token"',
            },
          };
        if (!caller.scopes.some((s) => IAM_SCOPES.includes(s)))
          throw new GcpError(403, "Request had insufficient authentication scopes.", [
            {
              "@type": "type.googleapis.com/google.rpc.ErrorInfo",
              reason: "ACCESS_TOKEN_SCOPE_INSUFFICIENT",
              domain: "googleapis.com",
            },
          ]);
        const body = parseJsonObject(req.raw);
        if (body === null) throw new GcpError(400, "Invalid JSON payload received.");
        const scope = body?.scope;
        if (!Array.isArray(scope) || scope.length === 0 || !scope.every((s) => typeof s === "string"))
          throw new GcpError(400, "Scope required: 'scope' must be a non-empty list of OAuth scopes.");
        const delegates = body?.delegates;
        if (Array.isArray(delegates) && delegates.length > 0)
          throw new GcpError(
            400,
            "sim: delegation chains (delegates) are not simulated; impersonate the service account directly.",
          );
        const lifetime = lifetimeSec(body?.lifetime);
        const email = m[1] ?? "";
        const members =
          caller.kind === "federated"
            ? [caller.principal ?? "", ...(caller.principalSets ?? [])]
            : [`serviceAccount:${caller.serviceAccount ?? ""}`];
        if (!deps.policies.has(email) || !deps.policies.canMintTokens(email, members)) throw denied();
        const expiresAt = new Date(now.getTime() + lifetime * 1000);
        const token = opaqueToken("ya29.c.sim-sa-");
        deps.tokens.add({
          kind: "service-account",
          token,
          issuedAt: now,
          expiresAt,
          scopes: scope as string[],
          serviceAccount: email,
          obtainedBy: caller.principal ?? caller.serviceAccount,
        });
        return {
          status: 200,
          body: { accessToken: token, expireTime: expiresAt.toISOString().replace(/\.\d{3}Z$/, "Z") },
        };
      } catch (err) {
        return gcpReply(err);
      }
    },
    faultBody: (status, message) => gcpErrorBody(status, message),
  };
}
