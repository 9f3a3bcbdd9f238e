import { networkCause } from "../core/network-cause.js";
import { RemoteError, SERVICE_NAMES } from "../core/remote-error.js";
import { httpStatusOf } from "./http-status.js";

/** Where a cloud call went and what chose it, for the message. */
export interface CloudTarget {
  provider: "gcp" | "azure" | "kubernetes";
  /** The URL or host the call went to. */
  endpoint: string;
  /** The variable or setting that chose the endpoint, e.g. `JITOPS_GCP_STS_URL` or `kubeconfig context prod`. */
  setting?: string;
  /** The identity used, when known: a service account, a client id, a kubeconfig user. */
  principal?: string;
  /** What was being done, e.g. `listing IAM bindings of projects/acme-prod`. */
  doing: string;
}

/** `host[:port]` of a URL, or the text itself when it is not one. */
export function hostOf(endpoint: string): string {
  try {
    return new URL(endpoint).host || endpoint;
  } catch {
    return endpoint;
  }
}

/** The error's first line, without a token that might be quoted in it. */
function firstLine(e: unknown): string {
  return String((e as Error)?.message ?? e)
    .split("\n")[0]!
    .slice(0, 300);
}

/**
 * A failed cloud call as a RemoteError: no answer (refused, unknown host, timeout) names the host
 * and the setting that chose it; 401/403 name the principal refused. Other answers (404, 409, ...)
 * are returned unchanged: callers read them as answers.
 */
export function cloudFailure(t: CloudTarget, e: unknown): unknown {
  if (e instanceof RemoteError) return e;
  const name = SERVICE_NAMES[t.provider];
  const host = hostOf(t.endpoint);
  const settingHint = t.setting
    ? `check ${t.setting} and the network`
    : "check the network path to it (proxy, firewall)";
  const cause = networkCause(e);
  if (cause)
    return new RemoteError({
      service: t.provider,
      host,
      what: `${name} at ${host} could not be reached ${t.doing}: ${cause}`,
      hint: settingHint,
      cause: e,
    });
  const status = httpStatusOf(e);
  if (status === 401 || status === 403)
    return new RemoteError({
      service: t.provider,
      host,
      status,
      what: `${name} (${host}) refused ${t.principal ?? "the credentials"} ${t.doing} (${status}): ${firstLine(e)}`,
      hint:
        status === 401
          ? "the credentials were not accepted: sign in again or check they are for this tenant or project"
          : `grant ${t.principal ?? "the identity jitops runs as"} the role this call needs`,
      ...(t.principal ? { principal: t.principal } : {}),
      cause: e,
    });
  if (status !== undefined && (status === 429 || status >= 500))
    return new RemoteError({
      service: t.provider,
      host,
      status,
      what: `${name} (${host}) answered ${status} ${t.doing}: ${firstLine(e)}`,
      hint: "the cloud is failing or rate limiting; try again later",
      cause: e,
    });
  return e;
}
