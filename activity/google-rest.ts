import { GoogleAuth } from "google-auth-library";
import { abortLate, DEFAULT_DEADLINE_MS } from "../providers/with-deadline.js";

/** What the GCP readers need of google-auth-library: an authorized request (GoogleAuth, OAuth2Client). */
export interface GoogleRequester {
  request<T>(opts: {
    url: string;
    method?: "GET" | "POST";
    data?: unknown;
    signal?: AbortSignal;
  }): Promise<{ data: T }>;
}

/** Where and how to call a Google REST API; the defaults are Google's endpoint with Application Default Credentials. */
export interface GoogleRestOptions {
  /** e.g. `https://logging.googleapis.com` or the embedded cloud's `http://127.0.0.1:PORT`. */
  endpoint?: string;
  auth?: GoogleRequester;
  deadlineMs?: number;
}

/**
 * A JSON call through google-auth-library's authorized client. Hand-made rather than a generated
 * client: `@google-cloud/logging`'s REST fallback cannot decode audit entries (its protos lack
 * `google.cloud.audit.AuditLog`), and IAM's roles API has no Node client short of all of `googleapis`.
 */
export function googleRest(defaultEndpoint: string, opts: GoogleRestOptions = {}) {
  const auth: GoogleRequester =
    opts.auth ??
    (new GoogleAuth({
      scopes: ["https://www.googleapis.com/auth/cloud-platform"],
    }) as unknown as GoogleRequester);
  const base = (opts.endpoint ?? defaultEndpoint).replace(/\/$/, "");
  const deadlineMs = opts.deadlineMs ?? DEFAULT_DEADLINE_MS;
  return async function call<T>(method: "GET" | "POST", path: string, data?: unknown): Promise<T> {
    const res = await abortLate(
      deadlineMs,
      (signal) =>
        auth.request<T>({ url: `${base}${path}`, method, ...(data !== undefined ? { data } : {}), signal }),
      undefined,
    );
    return res.data;
  };
}
