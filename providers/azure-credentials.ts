import type { TokenCredential } from "@azure/identity";
import { CredentialsError } from "./credentials-error.js";
import { onPath, THIS_HOST, type HostProbe } from "./host-probe.js";

const HINT =
  'set AZURE_TENANT_ID, AZURE_CLIENT_ID and AZURE_CLIENT_SECRET (or AZURE_FEDERATED_TOKEN_FILE for workload identity), or run "az login"';

/** The variables of DefaultAzureCredential's environment credential that are not set. */
function missingEnv(env: NodeJS.ProcessEnv): string[] {
  const secret =
    env.AZURE_CLIENT_SECRET ||
    env.AZURE_CLIENT_CERTIFICATE_PATH ||
    (env.AZURE_USERNAME && env.AZURE_PASSWORD);
  return [
    ...(env.AZURE_TENANT_ID ? [] : ["AZURE_TENANT_ID"]),
    ...(env.AZURE_CLIENT_ID ? [] : ["AZURE_CLIENT_ID"]),
    ...(secret ? [] : ["AZURE_CLIENT_SECRET (or AZURE_CLIENT_CERTIFICATE_PATH)"]),
  ];
}

function fileMissing(variable: string, path: string): CredentialsError {
  return new CredentialsError(
    "azure",
    "credentials.file-missing",
    `Azure credentials: ${variable} is set to ${path}, which does not exist`,
    `point ${variable} at an existing file, or unset it`,
  );
}

/**
 * The first source DefaultAzureCredential's chain will find, checked without the network, in the
 * chain's order: environment (client secret or certificate), workload identity (federated token
 * file), managed identity (an Azure VM, or the endpoint variables App Service, Arc and Cloud Shell
 * set), then the Azure CLI, Azure Developer CLI and Azure PowerShell on PATH. None: a
 * CredentialsError naming each and what it lacked.
 */
export function azureCredentialSource(env: NodeJS.ProcessEnv, probe: HostProbe = THIS_HOST): string {
  const lacking = missingEnv(env);
  if (env.AZURE_CLIENT_CERTIFICATE_PATH && !probe.exists(env.AZURE_CLIENT_CERTIFICATE_PATH))
    throw fileMissing("AZURE_CLIENT_CERTIFICATE_PATH", env.AZURE_CLIENT_CERTIFICATE_PATH);
  if (lacking.length === 0) return "environment (AZURE_TENANT_ID, AZURE_CLIENT_ID)";
  if (env.AZURE_FEDERATED_TOKEN_FILE) {
    if (!probe.exists(env.AZURE_FEDERATED_TOKEN_FILE))
      throw fileMissing("AZURE_FEDERATED_TOKEN_FILE", env.AZURE_FEDERATED_TOKEN_FILE);
    if (env.AZURE_TENANT_ID && env.AZURE_CLIENT_ID) return "workload identity (AZURE_FEDERATED_TOKEN_FILE)";
  }
  const endpoint = ["IDENTITY_ENDPOINT", "MSI_ENDPOINT", "IDENTITY_SERVER_THUMBPRINT"].find((v) => env[v]);
  if (endpoint) return `managed identity (${endpoint})`;
  if (probe.onAzureVm()) return "managed identity (Azure VM)";
  const cli = [
    ["az", "Azure CLI"],
    ["azd", "Azure Developer CLI"],
    ["pwsh", "Azure PowerShell"],
  ].find(([bin]) => onPath(bin!, env, probe));
  if (cli) return `${cli[1]} (${cli[0]} on PATH)`;
  throw new CredentialsError(
    "azure",
    "credentials.missing",
    `no Azure credentials: DefaultAzureCredential looked for the environment (${lacking.join(", ")} not set), ` +
      `workload identity (AZURE_FEDERATED_TOKEN_FILE ${env.AZURE_FEDERATED_TOKEN_FILE ? "set, but AZURE_TENANT_ID or AZURE_CLIENT_ID not" : "not set"}), ` +
      "managed identity (not an Azure VM; IDENTITY_ENDPOINT and MSI_ENDPOINT not set) " +
      "and a signed-in Azure CLI, Azure Developer CLI or Azure PowerShell (az, azd, pwsh: none on PATH)",
    HINT,
  );
}

/**
 * DefaultAzureCredential, its "none of my sources worked" answer turned into a CredentialsError
 * (a source the quick check counted, such as an Azure CLI on PATH, may still not be signed in).
 * Refusals of a credential that exists (AuthenticationError) pass on for `cloudFailure` to name.
 */
export function explainedAzureCredential(credential: TokenCredential): TokenCredential {
  return {
    async getToken(scopes, options) {
      try {
        return await credential.getToken(scopes, options);
      } catch (e) {
        const err = e as { name?: string; errors?: { name?: string; message?: string }[]; message?: string };
        const parts = err.name === "AggregateAuthenticationError" ? (err.errors ?? []) : [err];
        if (parts.length > 0 && parts.every((p) => p.name === "CredentialUnavailableError"))
          throw new CredentialsError(
            "azure",
            "credentials.missing",
            `no Azure credentials: DefaultAzureCredential found none that works: ${parts
              .map((p) => (p.message ?? "").split(/\. |\n/)[0])
              .join("; ")}`,
            HINT,
          );
        throw e;
      }
    },
  };
}
