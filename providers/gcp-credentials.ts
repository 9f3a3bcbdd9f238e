import { join } from "node:path";
import { CredentialsError } from "./credentials-error.js";
import { THIS_HOST, type HostProbe } from "./host-probe.js";

/** Where gcloud writes Application Default Credentials (`gcloud auth application-default login`). */
export function gcloudAdcFile(env: NodeJS.ProcessEnv, probe: HostProbe = THIS_HOST): string | undefined {
  const dir =
    env.CLOUDSDK_CONFIG ||
    (probe.platform === "win32"
      ? env.APPDATA && join(env.APPDATA, "gcloud")
      : env.HOME && join(env.HOME, ".config", "gcloud"));
  return dir ? join(dir, "application_default_credentials.json") : undefined;
}

/**
 * The source Application Default Credentials will use, in google-auth-library's order, found
 * without the network: a metadata server is counted only on a Google Cloud machine (or when
 * GCE_METADATA_HOST / METADATA_SERVER_DETECTION ask for one). Probing it anywhere else is what
 * makes google-auth-library print a MetadataLookupWarning before its own vague error; this throws
 * a CredentialsError naming every place it looked instead.
 */
export function gcpCredentialSource(env: NodeJS.ProcessEnv, probe: HostProbe = THIS_HOST): string {
  const named = env.GOOGLE_APPLICATION_CREDENTIALS || env.google_application_credentials;
  if (named) {
    if (!probe.exists(named))
      throw new CredentialsError(
        "gcp",
        "credentials.file-missing",
        `GCP credentials: GOOGLE_APPLICATION_CREDENTIALS is set to ${named}, which does not exist`,
        "point GOOGLE_APPLICATION_CREDENTIALS at a service account key or workload identity federation file, or unset it",
      );
    return `GOOGLE_APPLICATION_CREDENTIALS (${named})`;
  }
  const adcFile = gcloudAdcFile(env, probe);
  if (adcFile && probe.exists(adcFile)) return `the gcloud ADC file (${adcFile})`;
  const detection = (env.METADATA_SERVER_DETECTION ?? "").trim().toLowerCase();
  const metadataAsked =
    Boolean(env.GCE_METADATA_HOST || env.GCE_METADATA_IP) ||
    detection === "assume-present" ||
    detection === "ping-only";
  if (detection !== "none" && (metadataAsked || probe.onGcp())) return "the metadata server";
  throw new CredentialsError(
    "gcp",
    "credentials.missing",
    "no GCP credentials: Application Default Credentials looked for GOOGLE_APPLICATION_CREDENTIALS (not set), " +
      `the gcloud ADC file ${adcFile ? `${adcFile} (not there)` : "(no HOME or CLOUDSDK_CONFIG)"} ` +
      "and a metadata server (this is not a Google Cloud machine)",
    'set GOOGLE_APPLICATION_CREDENTIALS to a service account key or workload identity federation file, or run "gcloud auth application-default login"',
  );
}
