import { GoogleAuth } from "google-auth-library";
import type { IamPolicy, IamPolicyClient } from "./gcp-iam-client.js";

/** Google's IAM endpoint; the embedded cloud replaces it in the demo and tests. */
export const GOOGLE_IAM = "https://iam.googleapis.com";

/** An authorized HTTP request, as google-auth-library's clients make them. */
export type AuthorizedRequest = <T>(opts: {
  url: string;
  method: "GET" | "POST" | "PATCH";
  data?: unknown;
}) => Promise<{ data: T }>;

/** Requests authorized with Application Default Credentials. */
export function adcRequest(): AuthorizedRequest {
  const auth = new GoogleAuth({ scopes: ["https://www.googleapis.com/auth/cloud-platform"] });
  return async (opts) => (await auth.request(opts)) as never;
}

/** A workload identity provider's attribute mapping and condition. */
export interface WifProvider {
  attributeMapping: Record<string, string>;
  attributeCondition: string;
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
    async getProvider(name: string): Promise<WifProvider> {
      const { data } = await request<Partial<WifProvider>>({ url: `${iam}/v1/${name}`, method: "GET" });
      return {
        attributeMapping: data.attributeMapping ?? {},
        attributeCondition: data.attributeCondition ?? "",
      };
    },
    async patchProvider(name: string, p: WifProvider): Promise<void> {
      await request({
        url: `${iam}/v1/${name}?updateMask=attributeMapping,attributeCondition`,
        method: "PATCH",
        data: p,
      });
    },
  };
}
