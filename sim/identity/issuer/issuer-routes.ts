import type { ServiceRoutes, SimReply, SimRequest } from "../types.js";
import { bearerToken } from "../../shared/bearer-token.js";
import type { GitHubJobClaims, SubjectForm } from "./github-claims.js";
import type { OidcIssuer } from "./oidc-issuer.js";

/** The job the Actions runtime endpoint mints tokens for (what `setJob` configures). */
export interface CurrentJob {
  claims: GitHubJobClaims;
  subjectForm?: SubjectForm;
  /** Seconds until `exp` of tokens minted for this job (default 300). */
  lifetimeSec?: number;
}

/** The issuer's public endpoints: discovery and JWKS, under `prefix`. */
export function issuerRoutes(issuer: OidcIssuer, issuerUrl: () => string): ServiceRoutes {
  return {
    service: "issuer",
    prefix: "/oidc",
    handle(req: SimRequest): SimReply {
      if (req.method !== "GET") return { status: 405, body: { message: "Method Not Allowed" } };
      if (req.path === "/.well-known/openid-configuration")
        return { status: 200, body: issuer.discovery(issuerUrl()) };
      if (req.path === "/.well-known/jwks") return { status: 200, body: issuer.jwks() };
      return { status: 404, body: { message: "Not Found" } };
    },
    faultBody: (_status, message) => ({ message }),
  };
}

/** The Actions runtime's `ACTIONS_ID_TOKEN_REQUEST_URL` endpoint: `GET ?api-version=2.0&audience=...` with the request token. */
export function actionsRoutes(
  issuer: OidcIssuer,
  issuerUrl: () => string,
  state: { requestToken: string; job: () => CurrentJob | undefined },
): ServiceRoutes {
  return {
    service: "actions",
    prefix: "/actions",
    async handle(req: SimRequest): Promise<SimReply> {
      if (req.path !== "/id-token") return { status: 404, body: { message: "Not Found" } };
      if (req.method !== "GET") return { status: 405, body: { message: "Method Not Allowed" } };
      if (bearerToken(req.headers) !== state.requestToken)
        return {
          status: 401,
          body: { message: "Bad credentials: the ACTIONS_ID_TOKEN_REQUEST_TOKEN is not valid for this job." },
        };
      const job = state.job();
      if (!job) return { status: 404, body: { message: "sim: no current job; call setJob({claims}) first" } };
      const owner =
        job.claims.repository_owner ?? (job.claims.repository ?? "octo-org/octo-repo").split("/")[0];
      // Without `audience`, GitHub uses the URL of the repository owner.
      const audience = req.query.get("audience") ?? `https://github.com/${owner}`;
      const { jwt } = await issuer.mint(issuerUrl(), {
        claims: job.claims,
        audience,
        lifetimeSec: job.lifetimeSec,
        subjectForm: job.subjectForm,
      });
      return { status: 200, body: { count: 1, value: jwt } };
    },
    faultBody: (_status, message) => ({ message }),
  };
}
