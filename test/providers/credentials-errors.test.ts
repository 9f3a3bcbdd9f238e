import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { GoogleAuth } from "google-auth-library";
import { ConfigError } from "../../core/config-error.js";
import { azureCredentialSource } from "../../providers/azure-credentials.js";
import { checkedAzureTrustClient, checkedGcpTrustClient } from "../../providers/checked-trust-clients.js";
import { CredentialsError } from "../../providers/credentials-error.js";
import { providersFromEnv } from "../../providers/from-env.js";
import { gcpCredentialSource } from "../../providers/gcp-credentials.js";
import type { HostProbe } from "../../providers/host-probe.js";
import { IN_CLUSTER_TOKEN, kubeconfigFiles, loadKubeConfig } from "../../providers/kubernetes-credentials.js";
import { tempRepo } from "../fixtures/temp-repo.js";

/** A machine with only the given files, not on Google Cloud, not an Azure VM. */
function machine(files: string[] = [], where: { onGcp?: boolean; onAzureVm?: boolean } = {}): HostProbe {
  const have = new Set(files);
  return {
    platform: "linux",
    exists: (p) => have.has(p),
    onGcp: () => where.onGcp ?? false,
    onAzureVm: () => where.onAzureVm ?? false,
  };
}

const HOME = "/home/dev";
const ADC = `${HOME}/.config/gcloud/application_default_credentials.json`;

function thrown(f: () => unknown): CredentialsError {
  let caught: unknown;
  try {
    f();
  } catch (e) {
    caught = e;
  }
  expect(caught).toBeInstanceOf(CredentialsError);
  expect(caught).toBeInstanceOf(ConfigError); // what the CLI maps to exit 2
  return caught as CredentialsError;
}

describe("missing cloud credentials name the provider, where they were looked for, and what to set", () => {
  it.each([
    [
      "gcp: none anywhere",
      () => gcpCredentialSource({ HOME }, machine()),
      {
        provider: "gcp",
        code: "credentials.missing",
        message: `no GCP credentials: Application Default Credentials looked for GOOGLE_APPLICATION_CREDENTIALS (not set), the gcloud ADC file ${ADC} (not there) and a metadata server (this is not a Google Cloud machine)`,
        hint: 'set GOOGLE_APPLICATION_CREDENTIALS to a service account key or workload identity federation file, or run "gcloud auth application-default login"',
      },
    ],
    [
      "gcp: the metadata server switched off on a Google Cloud machine",
      () => gcpCredentialSource({ METADATA_SERVER_DETECTION: "none" }, machine([], { onGcp: true })),
      {
        provider: "gcp",
        code: "credentials.missing",
        message:
          "no GCP credentials: Application Default Credentials looked for GOOGLE_APPLICATION_CREDENTIALS (not set), the gcloud ADC file (no HOME or CLOUDSDK_CONFIG) and a metadata server (this is not a Google Cloud machine)",
      },
    ],
    [
      "gcp: GOOGLE_APPLICATION_CREDENTIALS names no file",
      () => gcpCredentialSource({ HOME, GOOGLE_APPLICATION_CREDENTIALS: "/tmp/gone.json" }, machine([ADC])),
      {
        provider: "gcp",
        code: "credentials.file-missing",
        message:
          "GCP credentials: GOOGLE_APPLICATION_CREDENTIALS is set to /tmp/gone.json, which does not exist",
        hint: "point GOOGLE_APPLICATION_CREDENTIALS at a service account key or workload identity federation file, or unset it",
      },
    ],
    [
      "azure: none anywhere",
      () => azureCredentialSource({ HOME, PATH: "/usr/bin:/bin" }, machine()),
      {
        provider: "azure",
        code: "credentials.missing",
        message:
          "no Azure credentials: DefaultAzureCredential looked for the environment (AZURE_TENANT_ID, AZURE_CLIENT_ID, AZURE_CLIENT_SECRET (or AZURE_CLIENT_CERTIFICATE_PATH) not set), workload identity (AZURE_FEDERATED_TOKEN_FILE not set), managed identity (not an Azure VM; IDENTITY_ENDPOINT and MSI_ENDPOINT not set) and a signed-in Azure CLI, Azure Developer CLI or Azure PowerShell (az, azd, pwsh: none on PATH)",
        hint: 'set AZURE_TENANT_ID, AZURE_CLIENT_ID and AZURE_CLIENT_SECRET (or AZURE_FEDERATED_TOKEN_FILE for workload identity), or run "az login"',
      },
    ],
    [
      "azure: half an environment credential",
      () => azureCredentialSource({ AZURE_CLIENT_ID: "c", AZURE_TENANT_ID: "t" }, machine()),
      {
        provider: "azure",
        code: "credentials.missing",
        message:
          "no Azure credentials: DefaultAzureCredential looked for the environment (AZURE_CLIENT_SECRET (or AZURE_CLIENT_CERTIFICATE_PATH) not set), workload identity (AZURE_FEDERATED_TOKEN_FILE not set), managed identity (not an Azure VM; IDENTITY_ENDPOINT and MSI_ENDPOINT not set) and a signed-in Azure CLI, Azure Developer CLI or Azure PowerShell (az, azd, pwsh: none on PATH)",
      },
    ],
    [
      "azure: a federated token file that is not there",
      () =>
        azureCredentialSource(
          { AZURE_CLIENT_ID: "c", AZURE_TENANT_ID: "t", AZURE_FEDERATED_TOKEN_FILE: "/var/run/token" },
          machine(),
        ),
      {
        provider: "azure",
        code: "credentials.file-missing",
        message:
          "Azure credentials: AZURE_FEDERATED_TOKEN_FILE is set to /var/run/token, which does not exist",
        hint: "point AZURE_FEDERATED_TOKEN_FILE at an existing file, or unset it",
      },
    ],
    [
      "kubernetes: no kubeconfig and not a pod",
      () => kubeconfigFiles({ HOME }, machine()),
      {
        provider: "kubernetes",
        code: "credentials.missing",
        message: `no Kubernetes credentials: KUBECONFIG is not set, ${HOME}/.kube/config is not there, and this is not a pod (no service account token at ${IN_CLUSTER_TOKEN})`,
        hint: "set KUBECONFIG to a kubeconfig with one context per cluster named in policy grants",
      },
    ],
    [
      "kubernetes: KUBECONFIG names a file that is not there",
      () => kubeconfigFiles({ HOME, KUBECONFIG: "/etc/kube/a:/etc/kube/b" }, machine(["/etc/kube/a"])),
      {
        provider: "kubernetes",
        code: "credentials.file-missing",
        message: "Kubernetes credentials: KUBECONFIG names /etc/kube/b, which does not exist",
        hint: "point KUBECONFIG at existing kubeconfig files (separated by ':'), or unset it to use ~/.kube/config",
      },
    ],
  ])("%s", (_name, find, expected) => {
    expect(thrown(find)).toMatchObject(expected);
  });

  it("kubernetes: a kubeconfig without contexts is reported, not replaced by a made-up localhost one", () => {
    const dir = tempRepo({ config: "apiVersion: v1\nkind: Config\nclusters: []\ncontexts: []\nusers: []\n" });
    try {
      const file = join(dir.root, "config");
      expect(thrown(() => loadKubeConfig({ KUBECONFIG: file }, machine([file])))).toMatchObject({
        code: "credentials.missing",
        message: `no Kubernetes credentials: the kubeconfig ${file} has no contexts`,
        hint: "add one context per cluster named in policy grants (jitops uses the context name as the cluster name)",
      });
    } finally {
      dir.remove();
    }
  });

  it.each([
    [
      "gcp: GOOGLE_APPLICATION_CREDENTIALS",
      () => gcpCredentialSource({ GOOGLE_APPLICATION_CREDENTIALS: "/k.json" }, machine(["/k.json"])),
      "GOOGLE_APPLICATION_CREDENTIALS (/k.json)",
    ],
    [
      "gcp: gcloud's ADC file",
      () => gcpCredentialSource({ HOME }, machine([ADC])),
      `the gcloud ADC file (${ADC})`,
    ],
    [
      "gcp: CLOUDSDK_CONFIG's ADC file",
      () =>
        gcpCredentialSource(
          { HOME, CLOUDSDK_CONFIG: "/cfg" },
          machine(["/cfg/application_default_credentials.json"]),
        ),
      "the gcloud ADC file (/cfg/application_default_credentials.json)",
    ],
    [
      "gcp: a Google Cloud machine",
      () => gcpCredentialSource({}, machine([], { onGcp: true })),
      "the metadata server",
    ],
    [
      "gcp: GCE_METADATA_HOST",
      () => gcpCredentialSource({ GCE_METADATA_HOST: "127.0.0.1:1" }, machine()),
      "the metadata server",
    ],
    [
      "azure: client secret",
      () =>
        azureCredentialSource(
          { AZURE_TENANT_ID: "t", AZURE_CLIENT_ID: "c", AZURE_CLIENT_SECRET: "s" },
          machine(),
        ),
      "environment (AZURE_TENANT_ID, AZURE_CLIENT_ID)",
    ],
    [
      "azure: workload identity",
      () =>
        azureCredentialSource(
          { AZURE_TENANT_ID: "t", AZURE_CLIENT_ID: "c", AZURE_FEDERATED_TOKEN_FILE: "/tok" },
          machine(["/tok"]),
        ),
      "workload identity (AZURE_FEDERATED_TOKEN_FILE)",
    ],
    [
      "azure: App Service managed identity",
      () => azureCredentialSource({ IDENTITY_ENDPOINT: "http://x" }, machine()),
      "managed identity (IDENTITY_ENDPOINT)",
    ],
    [
      "azure: an Azure VM",
      () => azureCredentialSource({}, machine([], { onAzureVm: true })),
      "managed identity (Azure VM)",
    ],
    [
      "azure: the Azure CLI",
      () => azureCredentialSource({ PATH: "/usr/bin:/opt/az/bin" }, machine(["/opt/az/bin/az"])),
      "Azure CLI (az on PATH)",
    ],
    [
      "kubernetes: ~/.kube/config",
      () => kubeconfigFiles({ HOME }, machine([`${HOME}/.kube/config`])),
      [`${HOME}/.kube/config`],
    ],
    ["kubernetes: in a pod", () => kubeconfigFiles({ HOME }, machine([IN_CLUSTER_TOKEN])), []],
  ])("finds %s", (_name, find, source) => {
    expect(find()).toEqual(source);
  });
});

describe("providersFromEnv without credentials", () => {
  // Jest's sandboxed `process` does not receive the real process's "warning" events, so the
  // warnings are caught where every one of them starts: process.emitWarning.
  const warnings: string[] = [];
  const emitWarning = process.emitWarning;
  beforeEach(() => {
    warnings.length = 0;
    process.emitWarning = ((warning: string | Error, type?: unknown) => {
      warnings.push(typeof type === "string" ? type : typeof warning === "string" ? "Warning" : warning.name);
    }) as typeof process.emitWarning;
  });
  afterEach(() => void (process.emitWarning = emitWarning));
  const settle = () => new Promise((resolve) => setTimeout(resolve, 300));

  it.each([["gcp"], ["azure"], ["kubernetes"]])(
    "%s: throws the ConfigError before any client exists",
    async (provider) => {
      const e = thrown(() => providersFromEnv({ JITOPS_PROVIDERS: provider, HOME, PATH: "" }, machine()));
      expect(e.provider).toBe(provider);
      await settle();
      expect(warnings).toEqual([]);
    },
  );

  it.each([
    ["gcp", () => checkedGcpTrustClient({ HOME }, machine())],
    ["azure", () => checkedAzureTrustClient({ HOME, PATH: "" }, machine())],
  ])("%s trust clients (jitops plan --trust, apply): the same ConfigError", async (provider, make) => {
    expect(thrown(make)).toMatchObject({ provider, code: "credentials.missing" });
    await settle();
    expect(warnings).toEqual([]);
  });

  it("gcp: no MetadataLookupWarning: the metadata server is not probed off Google Cloud", async () => {
    thrown(() => providersFromEnv({ JITOPS_PROVIDERS: "gcp", HOME }, machine()));
    await settle();
    expect(warnings).not.toContain("MetadataLookupWarning");
  });

  // The control: the listener does see the warning google-auth-library emits when it probes a
  // metadata server that answers oddly, so the test above would fail if jitops let it probe.
  it("control: google-auth-library left to itself probes and warns", async () => {
    const metadata = createServer((_q, res) => void res.writeHead(500).end("no"));
    await new Promise<void>((resolve) => metadata.listen(0, "127.0.0.1", resolve));
    const saved = { ...process.env };
    Object.assign(process.env, {
      GCE_METADATA_HOST: `127.0.0.1:${(metadata.address() as AddressInfo).port}`,
      HOME: "/nonexistent",
      GOOGLE_APPLICATION_CREDENTIALS: "",
    });
    try {
      await expect(new GoogleAuth().getClient()).rejects.toThrow(/Could not load the default credentials/);
      await settle();
      expect(warnings).toContain("MetadataLookupWarning");
    } finally {
      process.env = saved;
      await new Promise((resolve) => metadata.close(resolve));
    }
  });
});
