import type { ServiceRoutes, SimReply, SimRequest } from "../types.js";
import { parseJsonObject } from "../../shared/parse-json-object.js";
import { isForm } from "../request-body.js";
import type { GcpTokens } from "./gcp-tokens.js";
import type { GkeCluster } from "./gke-exchange.js";
import { exchangeToken, type StsParams } from "./sts-exchange.js";
import type { WorkloadProviders } from "./workload-providers.js";

/** An STS refusal the sim remembers with its reason (Google's body says less). */
export interface StsRejection {
  at: Date;
  error: string;
  description: string;
  detail?: string;
}

// A JSON body uses the proto field names (camelCase, google-github-actions/auth); a form body uses RFC 8693's
// snake_case (google-auth-library). Proto3 JSON parsers accept either spelling in JSON too.
function params(req: SimRequest): StsParams | undefined {
  let get: (snake: string, camel: string) => unknown;
  if (isForm(req)) {
    const form = new URLSearchParams(req.raw);
    get = (snake, camel) => form.get(snake) ?? form.get(camel) ?? undefined;
  } else {
    const json = parseJsonObject(req.raw);
    if (!json) return undefined;
    get = (snake, camel) => json[camel] ?? json[snake];
  }
  const str = (snake: string, camel: string): string | undefined => {
    const v = get(snake, camel);
    return typeof v === "string" ? v : undefined;
  };
  return {
    grantType: str("grant_type", "grantType"),
    audience: str("audience", "audience"),
    scope: str("scope", "scope"),
    requestedTokenType: str("requested_token_type", "requestedTokenType"),
    subjectToken: str("subject_token", "subjectToken"),
    subjectTokenType: str("subject_token_type", "subjectTokenType"),
  };
}

/** `POST /v1/token` of sts.googleapis.com. */
export function stsRoutes(deps: {
  providers: WorkloadProviders;
  tokens: GcpTokens;
  rejections: StsRejection[];
  clock: () => Date;
  /** GKE clusters whose pods the metadata server exchanges tokens for. */
  gkeClusters?: readonly GkeCluster[];
}): ServiceRoutes {
  return {
    service: "sts",
    prefix: "/sts",
    async handle(req: SimRequest): Promise<SimReply> {
      if (req.path !== "/v1/token" || req.method !== "POST")
        return {
          status: 404,
          body: {
            error: { code: 404, message: `Method not found: ${req.method} ${req.path}`, status: "NOT_FOUND" },
          },
        };
      const p = params(req);
      if (!p)
        return {
          status: 400,
          body: { error: "invalid_request", error_description: "Invalid JSON payload received." },
        };
      const now = deps.clock();
      const out = await exchangeToken(p, (name) => deps.providers.get(name), now, deps.gkeClusters);
      if (!out.ok) {
        deps.rejections.push({
          at: now,
          error: out.error,
          description: out.description,
          ...(out.detail ? { detail: out.detail } : {}),
        });
        return { status: out.status, body: { error: out.error, error_description: out.description } };
      }
      deps.tokens.add(out.token);
      return {
        status: 200,
        body: {
          access_token: out.token.token,
          issued_token_type: "urn:ietf:params:oauth:token-type:access_token",
          token_type: "Bearer",
          expires_in: Math.round((out.token.expiresAt.getTime() - now.getTime()) / 1000),
        },
      };
    },
    faultBody: (status, message) =>
      status === 429
        ? {
            error: {
              code: 429,
              message:
                "Quota exceeded for quota metric 'Token exchange requests' of service 'sts.googleapis.com'.",
              status: "RESOURCE_EXHAUSTED",
            },
          }
        : { error: status >= 500 ? "server_error" : "invalid_request", error_description: message },
  };
}
