import { decodeJwt } from "jose";
import { randomBytes } from "node:crypto";
import type { Agent } from "node:https";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { credentialAuditEvent, type CredentialAuditEvent } from "../core/audit-credential.js";
import type { Clock } from "../core/clock.js";
import type { Env } from "../core/env.js";
import { parseDuration } from "../core/duration.js";
import { loadPolicy } from "../core/load-policy.js";
import { AZURE_AUDIENCE, githubActionsRule } from "../core/trust/github-actions-issuer.js";
import { checkClaims } from "../core/trust/trust-rule.js";
import { isKubernetesWorkload, type GitHubWorkload } from "../core/types.js";
import { ConfigError } from "../core/config-error.js";
import { ENTRA_AUTHORITY, exchangeAzure } from "../providers/azure-workload-credentials.js";
import { cloudFailure } from "../providers/cloud-failure.js";
import {
  exchangeGcp,
  externalAccountConfig,
  gcpAudience,
  GOOGLE_ENDPOINTS,
} from "../providers/gcp-workload-credentials.js";
import { listYaml, readFiles } from "../tree/read-files.js";
import type { ActionIO } from "./action-io.js";
import { WRITTEN_FILES } from "./cleanup.js";

/** GCP caps generateAccessToken lifetimes at one hour (12 h only with an org policy exception). */
const GCP_MAX_LIFETIME_S = 3600;

/** What @actions/core says when the job lacks `id-token: write`, said as the fix. */
export const NO_ID_TOKEN =
  'this job cannot request an OIDC token: add "permissions: id-token: write" to the job (ACTIONS_ID_TOKEN_REQUEST_URL is not set)';

/** What the job summary reports: the principal the job holds, or none and why. */
interface Issued {
  workload: string;
  provider: "gcp" | "azure";
  /** The principal the credentials act as; undefined when none were issued. */
  principal?: string;
  lifetime?: string;
  expiresAt?: string;
  /** Why no credentials were issued. */
  reason?: string;
}

/** The job summary of a credentials run: a table of the principal used, its lifetime and expiry. */
export function credentialsSummary(i: Issued): { heading: string; rows: string[][]; text: string } {
  return {
    heading: `jitops credentials: ${i.workload}`,
    text: i.principal
      ? `This job holds short-lived ${i.provider.toUpperCase()} credentials as ${i.principal}.`
      : `No credentials were issued: ${i.reason ?? "unknown"}`,
    rows: [
      ["Workload", "Provider", "Principal", "Lifetime", "Expires"],
      [i.workload, i.provider, i.principal ?? "none", i.lifetime ?? "-", i.expiresAt ?? "-"],
    ],
  };
}

/** Who the credentials of a grant act as, in words. */
function principalOf(grant: GitHubWorkload["grants"][number]): string {
  return "gcp" in grant
    ? `service account ${grant.gcp.serviceAccount}`
    : `client ${grant.azure.clientId} in tenant ${grant.azure.tenantId}`;
}

function minutes(seconds: number): string {
  return seconds % 60 === 0 ? `${seconds / 60} min` : `${seconds} s`;
}

/** Reads the policy (from the `policy` input folder) and finds the workload and provider to use. */
async function resolveWorkload(
  io: ActionIO,
  root: string,
): Promise<{ workload: GitHubWorkload; provider: "gcp" | "azure" }> {
  const name = io.input("workload");
  if (!name) throw new Error("input workload is required in mode credentials: name a workload from policy");
  const dir = io.input("policy") || "policies";
  const files = await readFiles(root, await listYaml(root, dir, /\.test\.ya?ml$/));
  if (files.length === 0)
    throw new Error(
      `no policy files under ${dir}/: check out the access repository's policies (input policy)`,
    );
  const loaded = loadPolicy(files);
  if (!loaded.policy) throw new Error(`the policy under ${dir}/ has errors; run jitops validate there`);
  const workloads = loaded.policy.source.workloads;
  const workload = workloads.find((w) => w.name === name);
  if (!workload)
    throw new Error(
      `workload "${name}" is not in policy; workloads: ${workloads.map((w) => w.name).join(", ") || "none"}`,
    );
  // A pod's credentials come from its cluster's service-account token, never from a GitHub job.
  if (isKubernetesWorkload(workload))
    throw new Error(
      `workload ${name} runs in Kubernetes (cluster ${workload.kubernetes.cluster}, ${workload.kubernetes.namespace}/${workload.kubernetes.serviceAccount}): its pods federate their service-account token; see jitops render serviceaccount ${name}`,
    );
  const providers = workload.grants.map((g) => ("gcp" in g ? "gcp" : "azure") as "gcp" | "azure");
  const asked = io.input("provider");
  if (asked && asked !== "gcp" && asked !== "azure")
    throw new Error(`provider "${asked}" is not accepted; accepted: gcp, azure`);
  const provider = (asked || (providers.length === 1 ? providers[0] : "")) as "gcp" | "azure" | "";
  if (!provider)
    throw new Error(`workload ${name} has grants for ${providers.join(" and ")}: set input provider`);
  if (!providers.includes(provider))
    throw new Error(`workload ${name} has no ${provider} grant; it has: ${providers.join(", ")}`);
  return { workload, provider };
}

/**
 * `mode: credentials`: fetch the job's OIDC token, check its claims against the workload's policy
 * (failing early, naming the claim), exchange it for short-lived credentials, mask and export them.
 * The cloud, not this check, is the security boundary.
 */
export async function runCredentialsMode(
  io: ActionIO,
  root: string,
  env: Env,
  now: Clock,
  /** An https agent for the Entra authority (the embedded cloud's certificate); the runner needs none. */
  azureAgent?: Agent,
): Promise<void> {
  const { workload, provider } = await resolveWorkload(io, root);
  const grant = workload.grants.find((g) => provider in g)!;
  const principal = principalOf(grant);
  const none = async (reason: string) =>
    io.summary(credentialsSummary({ workload: workload.name, provider, reason }));
  // @actions/core would say only "Unable to get ACTIONS_ID_TOKEN_REQUEST_URL env variable".
  if (!env.ACTIONS_ID_TOKEN_REQUEST_URL) {
    await none(NO_ID_TOKEN);
    throw new ConfigError(NO_ID_TOKEN);
  }
  const audience = "gcp" in grant ? gcpAudience(grant.gcp.workloadIdentityProvider) : AZURE_AUDIENCE;
  const fresh = async (aud: string) => {
    const t = await io.idToken(aud);
    io.setSecret(t);
    return t;
  };
  const token = await fresh(audience);
  const claims = decodeJwt(token) as Record<string, unknown>;
  const audit = (e: Omit<CredentialAuditEvent, "time" | "kind" | "claims" | "workload" | "provider">) =>
    io.info(
      `jitops audit ${JSON.stringify(credentialAuditEvent({ now: now(), claims, workload: workload.name, provider, ...e }))}`,
    );
  const check = checkClaims(githubActionsRule(workload), claims, audience, now());
  if (!check.ok) {
    audit({ outcome: "refused", reason: check.message });
    await none(`policy does not allow this job: ${check.message}`);
    throw new Error(`this job may not use workload ${workload.name}: ${check.message}`);
  }
  const lifetime = Math.min((parseDuration(workload.maxLifetime) ?? 0) * 60, GCP_MAX_LIFETIME_S);
  const endpoints = {
    sts: env.JITOPS_GCP_STS_URL ?? GOOGLE_ENDPOINTS.sts,
    iamCredentials: env.JITOPS_GCP_IAMCREDENTIALS_URL ?? GOOGLE_ENDPOINTS.iamCredentials,
  };
  const authority = env.JITOPS_AZURE_AUTHORITY_HOST ?? ENTRA_AUTHORITY;
  try {
    if ("gcp" in grant) {
      const x = {
        provider: grant.gcp.workloadIdentityProvider,
        serviceAccount: grant.gcp.serviceAccount,
        lifetimeSeconds: lifetime,
        endpoints,
      };
      const out = await exchangeGcp({ ...x, subjectToken: fresh });
      io.setSecret(out.accessToken);
      const file = join(io.tempDir(), `jitops-gcp-${randomBytes(8).toString("hex")}.json`);
      const config = externalAccountConfig(x, {
        url: env.ACTIONS_ID_TOKEN_REQUEST_URL ?? "",
        requestToken: env.ACTIONS_ID_TOKEN_REQUEST_TOKEN ?? "",
      });
      io.saveState(WRITTEN_FILES, JSON.stringify([file]));
      await writeFile(file, JSON.stringify(config, null, 2), { mode: 0o600 });
      for (const v of [
        "GOOGLE_APPLICATION_CREDENTIALS",
        "CLOUDSDK_AUTH_CREDENTIAL_FILE_OVERRIDE",
        "GOOGLE_GHA_CREDS_PATH",
      ])
        io.exportVariable(v, file);
      io.setOutput("credentials_file_path", file);
      io.setOutput("access_token", out.accessToken);
      io.setOutput("expires_at", out.expireTime?.toISOString() ?? "");
      audit({ outcome: "issued", ...(out.expireTime ? { expiresAt: out.expireTime.toISOString() } : {}) });
      await io.summary(
        credentialsSummary({
          workload: workload.name,
          provider,
          principal,
          lifetime: minutes(lifetime),
          ...(out.expireTime ? { expiresAt: out.expireTime.toISOString() } : {}),
        }),
      );
    } else {
      const { tenantId, clientId, subscriptionId } = grant.azure;
      const out = await exchangeAzure({
        tenantId,
        clientId,
        subjectToken: fresh,
        ...(env.JITOPS_AZURE_AUTHORITY_HOST ? { authorityHost: env.JITOPS_AZURE_AUTHORITY_HOST } : {}),
        ...(azureAgent ? { agent: azureAgent } : {}),
      });
      io.setSecret(out.accessToken);
      io.exportVariable("AZURE_CLIENT_ID", clientId);
      io.exportVariable("AZURE_TENANT_ID", tenantId);
      if (subscriptionId) io.exportVariable("AZURE_SUBSCRIPTION_ID", subscriptionId);
      io.setOutput("access_token", out.accessToken);
      io.setOutput("expires_at", out.expiresOn.toISOString());
      audit({ outcome: "issued", expiresAt: out.expiresOn.toISOString() });
      const seconds = Math.max(0, Math.round((out.expiresOn.getTime() - now().getTime()) / 1000));
      await io.summary(
        credentialsSummary({
          workload: workload.name,
          provider,
          principal: subscriptionId ? `${principal} (subscription ${subscriptionId})` : principal,
          lifetime: `${minutes(Math.round(seconds / 60) * 60)} (set by Entra ID)`,
          expiresAt: out.expiresOn.toISOString(),
        }),
      );
    }
  } catch (e) {
    const failure = cloudFailure(
      {
        provider,
        endpoint: failedUrl(e) ?? ("gcp" in grant ? endpoints.sts : authority),
        ...settingOf(failedUrl(e), provider, env),
        principal,
        doing: "for the token exchange",
      },
      e,
    );
    const reason = (failure as Error).message.split(token).join("***");
    audit({ outcome: "refused", reason });
    await none(reason);
    if (failure !== e) throw failure; // a RemoteError: the host, the setting or the principal refused
    throw new Error(`the ${provider} token exchange was refused for ${principal}: ${reason}`, { cause: e });
  }
}

/** The URL a failed exchange call went to (gaxios keeps it on the error), when known. */
function failedUrl(e: unknown): string | undefined {
  const url = (e as { config?: { url?: unknown } })?.config?.url;
  return url === undefined ? undefined : String(url);
}

/** The variable that chose the endpoint of a failed exchange call, when one did. */
function settingOf(url: string | undefined, provider: "gcp" | "azure", env: Env) {
  const named = (
    provider === "gcp"
      ? [
          ["JITOPS_GCP_STS_URL", env.JITOPS_GCP_STS_URL],
          ["JITOPS_GCP_IAMCREDENTIALS_URL", env.JITOPS_GCP_IAMCREDENTIALS_URL],
        ]
      : [["JITOPS_AZURE_AUTHORITY_HOST", env.JITOPS_AZURE_AUTHORITY_HOST]]
  ).find(([, v]) => v && (url === undefined || url.startsWith(v)));
  return named ? { setting: named[0]! } : {};
}
