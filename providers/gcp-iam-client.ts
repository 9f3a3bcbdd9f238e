import { FoldersClient, OrganizationsClient, ProjectsClient } from "@google-cloud/resource-manager";
import { GoogleAuth } from "google-auth-library";
import { abortLate } from "./with-deadline.js";

/** An IAM binding as Resource Manager returns it (policy version 3). */
export interface IamBinding {
  role?: string | null;
  members?: string[] | null;
  condition?: { title?: string | null; description?: string | null; expression?: string | null } | null;
}

/** An IAM policy; `etag` is opaque and must be sent back on write. */
export interface IamPolicy {
  version?: number | null;
  etag?: unknown;
  bindings?: IamBinding[] | null;
}

/** Get/set IAM policy on a resource name (`projects/…`, `folders/…`, `organizations/…`). */
export interface IamPolicyClient {
  get(resource: string): Promise<IamPolicy>;
  set(resource: string, policy: IamPolicy): Promise<IamPolicy>;
}

/** Where and how to reach Resource Manager; the defaults are Google's REST endpoint with ADC. */
export interface GcpClientOptions {
  apiEndpoint?: string;
  /** Needed with a non-default apiEndpoint: the client's port 443 default overrides one in apiEndpoint. */
  port?: number;
  protocol?: "http" | "https";
  /** A google-auth-library client (any version gax accepts); default: Application Default Credentials. */
  authClient?: unknown;
  /** Each request's connection is dropped shortly after this deadline (gax's own timeout is not applied over REST). */
  deadlineMs?: number;
}

/** Application Default Credentials (or `authClient`) whose requests are aborted a little after `deadlineMs`. */
function authWithDeadline(deadlineMs: number, authClient?: unknown): GoogleAuth {
  const auth = new GoogleAuth({
    scopes: ["https://www.googleapis.com/auth/cloud-platform"],
    ...(authClient ? { authClient: authClient as never } : {}),
  });
  // gax's REST transport sends every call through this fetch with its own cancel signal.
  const fetch = auth.fetch.bind(auth);
  auth.fetch = ((url: string, init: RequestInit = {}) =>
    abortLate(deadlineMs, (signal) => fetch(url, { ...init, signal }), init.signal)) as typeof auth.fetch;
  return auth;
}

/**
 * Resource Manager v3 clients over REST (`fallback: true`: gRPC is invisible to nock and
 * proxies), one per resource kind, behind one small interface.
 */
export function resourceManagerClient(opts: GcpClientOptions = {}): IamPolicyClient {
  const { deadlineMs, authClient, ...rest } = opts;
  const common = {
    fallback: true as const,
    ...rest,
    ...(deadlineMs !== undefined
      ? { auth: authWithDeadline(deadlineMs, authClient) }
      : authClient
        ? { authClient }
        : {}),
  } as ConstructorParameters<typeof ProjectsClient>[0];
  const projects = new ProjectsClient(common);
  const folders = new FoldersClient(common);
  const orgs = new OrganizationsClient(common);
  const pick = (resource: string) =>
    resource.startsWith("folders/") ? folders : resource.startsWith("organizations/") ? orgs : projects;
  return {
    async get(resource) {
      const [policy] = await pick(resource).getIamPolicy({
        resource,
        options: { requestedPolicyVersion: 3 },
      });
      return policy as IamPolicy;
    },
    async set(resource, policy) {
      const [out] = await pick(resource).setIamPolicy({
        resource,
        policy: policy as never,
        updateMask: { paths: ["bindings", "etag"] },
      });
      return out as IamPolicy;
    },
  };
}
