import { DefaultAzureCredential } from "@azure/identity";
import type { ActivityReader } from "../app/activity-record.js";
import type { RoleCatalogue } from "../app/rightsize.js";
import { ConfigError } from "../core/config-error.js";
import { azureActivityLogReader } from "./azure-activity-log-reader.js";
import { azureRoleReader } from "./azure-role-reader.js";
import { gcpAuditLogReader } from "./gcp-audit-log-reader.js";
import { gcpRoleReader } from "./gcp-role-reader.js";
import type { Clock } from "../core/clock.js";
import type { Env } from "../core/env.js";

const names = (env: Env) => {
  const list = (env.JITOPS_PROVIDERS ?? "gcp,azure")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  const unknown = list.filter((n) => !["gcp", "azure", "kubernetes"].includes(n));
  if (unknown.length > 0)
    throw new ConfigError(
      `JITOPS_PROVIDERS names unknown providers: ${unknown.join(", ")}; accepted: gcp, azure, kubernetes`,
    );
  return list;
};

/**
 * The audit log readers of the clouds `JITOPS_PROVIDERS` names (default gcp, azure), with default
 * credentials; `JITOPS_GCP_LOGGING_URL` and `JITOPS_AZURE_ARM_URL` point them elsewhere (a proxy).
 * Kubernetes audit events reach the bot's webhook, not the CLI.
 */
export function activityReadersFromEnv(env: Env, now: Clock): ActivityReader[] {
  return names(env).flatMap((n): ActivityReader[] =>
    n === "gcp"
      ? [gcpAuditLogReader(env.JITOPS_GCP_LOGGING_URL ? { endpoint: env.JITOPS_GCP_LOGGING_URL } : {})]
      : n === "azure"
        ? [
            azureActivityLogReader(new DefaultAzureCredential(), {
              now,
              ...(env.JITOPS_AZURE_ARM_URL ? { endpoint: env.JITOPS_AZURE_ARM_URL } : {}),
            }),
          ]
        : [],
  );
}

/** Role catalogues for rightsizing: IAM roles (`JITOPS_GCP_IAM_URL`), Azure role definitions at `azureScope`. */
export function roleCataloguesFromEnv(env: Env, azureScope: string | undefined): RoleCatalogue[] {
  return names(env).flatMap((n): RoleCatalogue[] =>
    n === "gcp"
      ? [gcpRoleReader(env.JITOPS_GCP_IAM_URL ? { endpoint: env.JITOPS_GCP_IAM_URL } : {})]
      : n === "azure" && azureScope
        ? [
            azureRoleReader(
              new DefaultAzureCredential(),
              azureScope,
              env.JITOPS_AZURE_ARM_URL ? { endpoint: env.JITOPS_AZURE_ARM_URL } : {},
            ),
          ]
        : [],
  );
}
