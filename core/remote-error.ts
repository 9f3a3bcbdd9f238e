/** The services jitops calls at run time. */
export type RemoteService = "github" | "gcp" | "azure" | "kubernetes";

/** Display names, for messages. */
export const SERVICE_NAMES: Record<RemoteService, string> = {
  github: "GitHub",
  gcp: "GCP",
  azure: "Azure",
  kubernetes: "Kubernetes",
};

/** What a RemoteError is made of. */
export interface RemoteFailure {
  service: RemoteService;
  /** `host[:port]` that failed to answer or refused. */
  host: string;
  /** The HTTP status, when the service answered at all. */
  status?: number;
  /** What failed, e.g. `GitHub (api.github.com) answered 401 Bad credentials to GET /repos/acme/api`. */
  what: string;
  /** What to check or set, e.g. `check GITHUB_TOKEN`. */
  hint?: string;
  /** The identity the service refused, when known (a service account email, a client id). */
  principal?: string;
  cause?: unknown;
}

/**
 * A runtime failure after retries: GitHub, a cloud or the network refused or did not answer.
 * Entry points report it with exit status 3 and print `message`, one line that already names the
 * service, the host and (after a colon) the hint; `hint` is also kept apart for structured output.
 */
export class RemoteError extends Error {
  /** Which service failed. */
  readonly service: RemoteService;
  /** The host (and port) the failed request went to. */
  readonly host: string;
  /** The HTTP status, or undefined when no answer came (refused connection, timeout, DNS). */
  readonly status: number | undefined;
  /** What to check or set. */
  readonly hint: string | undefined;
  /** The identity the service refused, when known. */
  readonly principal: string | undefined;

  constructor(f: RemoteFailure) {
    super(f.hint ? `${f.what}: ${f.hint}` : f.what, f.cause === undefined ? undefined : { cause: f.cause });
    this.name = "RemoteError";
    this.service = f.service;
    this.host = f.host;
    this.status = f.status;
    this.hint = f.hint;
    this.principal = f.principal;
  }
}
