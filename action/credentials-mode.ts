import { decodeJwt } from "jose";
import { randomBytes } from "node:crypto";
import type { Agent } from "node:https";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { credentialAuditEvent, type CredentialAuditEvent } from "../core/audit-credential.js";
import { parseDuration } from "../core/duration.js";
import { loadPolicy } from "../core/load-policy.js";
import { AZURE_AUDIENCE, githubActionsRule } from "../core/trust/github-actions-issuer.js";
import { checkClaims } from "../core/trust/trust-rule.js";
import type { Workload } from "../core/types.js";
import { exchangeAzure } from "../providers/azure-workload-credentials.js";
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

/** Reads the policy (from the `policy` input folder) and finds the workload and provider to use. */
async function resolveWorkload(
  io: ActionIO,
  root: string,
): Promise<{ workload: Workload; provider: "gcp" | "azure" }> {
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
  env: NodeJS.ProcessEnv,
  now: () => Date,
  /** An https agent for the Entra authority (the embedded cloud's certificate); the runner needs none. */
  azureAgent?: Agent,
): Promise<void> {
  const { workload, provider } = await resolveWorkload(io, root);
  const grant = workload.grants.find((g) => provider in g)!;
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
    throw new Error(`this job may not use workload ${workload.name}: ${check.message}`);
  }
  const lifetime = Math.min((parseDuration(workload.maxLifetime) ?? 0) * 60, GCP_MAX_LIFETIME_S);
  try {
    if ("gcp" in grant) {
      const endpoints = {
        sts: env.JITOPS_GCP_STS_URL ?? GOOGLE_ENDPOINTS.sts,
        iamCredentials: env.JITOPS_GCP_IAMCREDENTIALS_URL ?? GOOGLE_ENDPOINTS.iamCredentials,
      };
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
    }
  } catch (e) {
    const reason = (e as Error).message.split(token).join("***");
    audit({ outcome: "refused", reason });
    throw new Error(`the ${provider} token exchange was refused: ${reason}`, { cause: e });
  }
}
