import { GoogleAuth } from "google-auth-library";
import type { IamPolicy, IamPolicyClient } from "./gcp-iam-client.js";
import { httpStatusOf } from "./http-status.js";
import { abortLate } from "./with-deadline.js";

/** Google's IAM endpoint; the embedded cloud replaces it in the demo and tests. */
export const GOOGLE_IAM = "https://iam.googleapis.com";

/** An authorized HTTP request, as google-auth-library's clients make them. */
export type AuthorizedRequest = <T>(opts: {
  url: string;
  method: "GET" | "POST" | "PATCH";
  data?: unknown;
}) => Promise<{ data: T }>;

/**
 * Requests authorized with Application Default Credentials; with `deadlineMs`, each request's
 * connection is dropped shortly after that deadline (the caller's deadline reports it).
 */
export function adcRequest(deadlineMs?: number): AuthorizedRequest {
  const auth = new GoogleAuth({ scopes: ["https://www.googleapis.com/auth/cloud-platform"] });
  return async (opts) =>
    (deadlineMs === undefined
      ? await auth.request(opts)
      : await abortLate(deadlineMs, (signal) => auth.request({ ...opts, signal }))) as never;
}

/** A workload identity provider's attribute mapping and condition (and, read back, its OIDC issuer and keys). */
export interface WifProvider {
  attributeMapping: Record<string, string>;
  attributeCondition: string;
  oidc?: { issuerUri: string; jwksJson?: string };
}

/**
 * IAM REST calls for trust configuration. No generated client is small enough for two resources,
 * so these go through google-auth-library's authorized request (retries and auth included).
 */
export function iamTrustClient(request: AuthorizedRequest, iam = GOOGLE_IAM) {
  const saPolicies: IamPolicyClient = {
    async get(sa) {
      const { data } = await request<IamPolicy>({
        url: `${iam}/v1/projects/-/serviceAccounts/${sa}:getIamPolicy`,
        method: "POST",
        data: { options: { requestedPolicyVersion: 3 } },
      });
      return data;
    },
    async set(sa, policy) {
      const { data } = await request<IamPolicy>({
        url: `${iam}/v1/projects/-/serviceAccounts/${sa}:setIamPolicy`,
        method: "POST",
        data: { policy },
      });
      return data;
    },
  };
  return {
    saPolicies,
    /** The provider, or undefined when IAM answers 404 (policy names a cluster provider not created yet). */
    async getProvider(name: string): Promise<WifProvider | undefined> {
      let data: Partial<WifProvider>;
      try {
        ({ data } = await request<Partial<WifProvider>>({ url: `${iam}/v1/${name}`, method: "GET" }));
      } catch (e) {
        if (httpStatusOf(e) === 404) return undefined;
        throw e;
      }
      const oidc = data.oidc;
      return {
        attributeMapping: data.attributeMapping ?? {},
        attributeCondition: data.attributeCondition ?? "",
        ...(oidc?.issuerUri
          ? { oidc: { issuerUri: oidc.issuerUri, ...(oidc.jwksJson ? { jwksJson: oidc.jwksJson } : {}) } }
          : {}),
      };
    },
    /** Sets mapping and condition; with `oidc`, also the issuer and keys (the providers jitops owns). */
    async patchProvider(name: string, p: WifProvider): Promise<void> {
      const mask = ["attributeMapping", "attributeCondition"];
      if (p.oidc) mask.push("oidc.issuerUri", "oidc.jwksJson");
      await request({
        url: `${iam}/v1/${name}?updateMask=${mask.join(",")}`,
        method: "PATCH",
        data: p,
      });
    },
    /** Creates an OIDC provider (`POOL/providers/ID`) for a cluster's issuer. */
    async createProvider(
      name: string,
      p: WifProvider & { oidc: NonNullable<WifProvider["oidc"]> },
    ): Promise<void> {
      const m = /^(.+)\/providers\/([^/]+)$/.exec(name);
      if (!m) throw new Error(`not a provider name: ${name}`);
      await request({
        url: `${iam}/v1/${m[1]}/providers?workloadIdentityPoolProviderId=${m[2]}`,
        method: "POST",
        data: p,
      });
    },
  };
}
