import { IdentityPoolClient } from "google-auth-library";
import { DEFAULT_DEADLINE_MS, noAnswerWithin, withDeadline } from "./with-deadline.js";

/** Google's endpoints; the embedded cloud replaces them in the demo and tests. */
export interface GcpEndpoints {
  sts: string;
  iamCredentials: string;
}

/** Google's production endpoints. */
export const GOOGLE_ENDPOINTS: GcpEndpoints = {
  sts: "https://sts.googleapis.com/v1/token",
  iamCredentials: "https://iamcredentials.googleapis.com",
};

/** What a GCP exchange needs. */
export interface GcpExchange {
  /** `projects/N/locations/global/workloadIdentityPools/P/providers/PR`. */
  provider: string;
  serviceAccount: string;
  lifetimeSeconds: number;
  /** Fetches a fresh OIDC token for the audience (tokens live minutes). */
  subjectToken: (audience: string) => Promise<string>;
  endpoints?: GcpEndpoints;
  /** How long each of the two calls may wait for an answer (default 10 s). */
  timeoutMs?: number;
}

/** The audience of the OIDC token for a GCP provider (what google-github-actions/auth requests). */
export function gcpAudience(provider: string): string {
  return `https://iam.googleapis.com/${provider}`;
}

/** The impersonation URL of a service account. */
export function impersonationUrl(serviceAccount: string, endpoints: GcpEndpoints = GOOGLE_ENDPOINTS): string {
  return `${endpoints.iamCredentials}/v1/projects/-/serviceAccounts/${serviceAccount}:generateAccessToken`;
}

/** The parts of an `external_account` configuration every token source shares. */
function externalAccountBase(x: Omit<GcpExchange, "subjectToken" | "timeoutMs">) {
  const endpoints = x.endpoints ?? GOOGLE_ENDPOINTS;
  return {
    type: "external_account" as const,
    audience: `//iam.googleapis.com/${x.provider}`,
    subject_token_type: "urn:ietf:params:oauth:token-type:jwt",
    token_url: endpoints.sts,
    service_account_impersonation_url: impersonationUrl(x.serviceAccount, endpoints),
    service_account_impersonation: { token_lifetime_seconds: x.lifetimeSeconds },
  };
}

/** The `external_account` ADC file for gcloud and client libraries; it holds no secret, only where to get one. */
export function externalAccountConfig(
  x: Omit<GcpExchange, "subjectToken" | "timeoutMs">,
  tokenSource: { url: string; requestToken: string },
): object {
  return {
    ...externalAccountBase(x),
    credential_source: {
      url: `${tokenSource.url}&audience=${encodeURIComponent(gcpAudience(x.provider))}`,
      headers: { Authorization: `Bearer ${tokenSource.requestToken}` },
      format: { type: "json", subject_token_field_name: "value" },
    },
  };
}

/**
 * Exchanges the job's OIDC token for a service account access token: STS token exchange, then IAM
 * Credentials generateAccessToken with the policy's lifetime. Exactly two cloud calls.
 */
export async function exchangeGcp(
  x: GcpExchange,
): Promise<{ accessToken: string; expireTime: Date | undefined }> {
  const { timeoutMs = DEFAULT_DEADLINE_MS, ...rest } = x;
  const client = new IdentityPoolClient({
    ...externalAccountBase(rest),
    transporterOptions: { timeout: timeoutMs },
    subject_token_supplier: { getSubjectToken: () => x.subjectToken(gcpAudience(x.provider)) },
  });
  // The STS call goes through a transport of its own that takes no timeout, so the whole exchange
  // has a deadline; the IAM Credentials call passes this client's transport, which says it started.
  let pending = (x.endpoints ?? GOOGLE_ENDPOINTS).sts;
  client.transporter.interceptors.request.add({
    resolved: async (opts) => {
      pending = String(opts.url);
      return opts;
    },
  });
  const res = await withDeadline(
    timeoutMs,
    () => client.getAccessToken(),
    () => Object.assign(noAnswerWithin(timeoutMs), { config: { url: pending } }),
  );
  if (!res.token) throw new Error("GCP returned no access token");
  const expiry = client.credentials.expiry_date;
  return { accessToken: res.token, expireTime: expiry ? new Date(expiry) : undefined };
}
