import { readFileSync } from "node:fs";
import { BotConfigError } from "./bot-config-error.js";
import { assertPrivateKey } from "./check-private-key.js";
import type { BotServerOptions, LogFormat, LogLevel } from "./server.js";
import type { Env } from "../core/env.js";

/** Every five minutes a lost delivery is picked up (GitHub never retries one). */
export const DEFAULT_RECONCILE_MS = 5 * 60_000;

/** Every five minutes expired grants are swept (the cloud already refuses them; this cleans up and reverts). */
export const DEFAULT_SWEEP_MS = 5 * 60_000;

/** Every five minutes failed deliveries are asked for again (GitHub keeps them 3 days and never retries). */
export const DEFAULT_DELIVERY_RECOVERY_MS = 5 * 60_000;

/** Every hour due certifications are opened and reviewers reminded (reminders are days apart). */
export const DEFAULT_CERTIFY_MS = 60 * 60_000;

/** In-flight work gets this long after SIGTERM: shorter than Kubernetes' 30 s before it kills the pod. */
export const DEFAULT_SHUTDOWN_GRACE_MS = 20_000;

/** The environment variables the bot reads (JITOPS_PROVIDERS is read by providers/from-env.ts). */
export const BOT_ENV = [
  "APP_ID",
  "PRIVATE_KEY",
  "PRIVATE_KEY_PATH",
  "WEBHOOK_SECRET",
  "WEBHOOK_SECRET_FILE",
  "GITHUB_API_URL",
  "PORT",
  "HOST",
  "RECONCILE_INTERVAL_MS",
  "SWEEP_INTERVAL_MS",
  "CERTIFY_INTERVAL_MS",
  "SHUTDOWN_GRACE_MS",
  "LOG_LEVEL",
  "LOG_FORMAT",
  "JITOPS_AUDIT_FILE",
  "WEBHOOK_CONCURRENCY",
  "WEBHOOK_QUEUE_LIMIT",
  "SLACK_BOT_TOKEN",
  "JITOPS_SLACK_API_URL",
  "DELIVERY_RECOVERY_INTERVAL_MS",
  "JITOPS_LEASE_NAMESPACE",
  "JITOPS_LEASE_NAME",
  "POD_NAME",
  "JITOPS_ACTIVITY",
  "JITOPS_K8S_AUDIT_TOKEN",
  "JITOPS_K8S_AUDIT_CLUSTERS",
  "JITOPS_GCP_LOGGING_URL",
  "JITOPS_AZURE_ARM_URL",
] as const;

const LOG_LEVELS: readonly LogLevel[] = ["trace", "debug", "info", "warn", "error", "fatal", "silent"];
const LOG_FORMATS: readonly LogFormat[] = ["json", "pretty"];

/** Where the periodic-pass Lease lives and who this replica is (its kubeconfig is found by `leaseKubeConfig`). */
export interface LeaseEnv {
  namespace: string;
  name: string;
  identity: string;
}

/** What `bot/main.ts` starts: the server's options and how long shutdown waits for in-flight work. */
export interface BotEnv extends Omit<BotServerOptions, "lease"> {
  shutdownGraceMs: number;
  lease?: LeaseEnv;
}

/** Reads a file a variable names (a mounted secret); `readFile` is injectable for tests. */
type ReadFile = (path: string) => string;

/**
 * Bot options from the environment (see BOT_ENV). The private key and webhook secret come from a
 * variable or from a file a `*_PATH`/`*_FILE` variable names (a mounted secret), never both.
 * Throws BotConfigError naming the variable (and the path) on anything missing or unusable.
 */
export function botOptionsFromEnv(
  env: Env,
  readFile: ReadFile = (path) => readFileSync(path, "utf8"),
): BotEnv {
  const set = (key: string) => (env[key]?.trim() ?? "") !== "";
  const missing = [
    set("APP_ID") ? undefined : "APP_ID",
    set("PRIVATE_KEY") || set("PRIVATE_KEY_PATH") ? undefined : "PRIVATE_KEY (or PRIVATE_KEY_PATH)",
    set("WEBHOOK_SECRET") || set("WEBHOOK_SECRET_FILE")
      ? undefined
      : "WEBHOOK_SECRET (or WEBHOOK_SECRET_FILE)",
  ].filter((k): k is string => k !== undefined);
  if (missing.length > 0)
    throw new BotConfigError(
      "bot.env-missing",
      `jitops bot: ${missing.join(", ")} must be set (the GitHub App's id, its PEM private key and its webhook secret); refusing to start`,
    );
  for (const [a, b] of [
    ["PRIVATE_KEY", "PRIVATE_KEY_PATH"],
    ["WEBHOOK_SECRET", "WEBHOOK_SECRET_FILE"],
  ] as const)
    if (set(a) && set(b))
      throw new BotConfigError(
        "bot.env-conflict",
        `jitops bot: both ${a} and ${b} are set; set one of them so it is clear which secret is used`,
      );

  const fromFile = (key: string): string => {
    const path = env[key]!.trim();
    try {
      return readFile(path);
    } catch (e) {
      const why = (e as NodeJS.ErrnoException).code ?? (e as Error).message;
      throw new BotConfigError(
        "bot.secret-file-unreadable",
        `jitops bot: ${key} names ${path}, which cannot be read (${why}); refusing to start`,
      );
    }
  };

  const number = (key: string, fallback: number): number => {
    const raw = env[key];
    if (raw === undefined || raw === "") return fallback;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < 0)
      throw new BotConfigError("bot.env-invalid", `jitops bot: ${key} must be a whole number, got "${raw}"`);
    return n;
  };
  const oneOf = <T extends string>(key: string, accepted: readonly T[], fallback: T): T => {
    const raw = env[key]?.trim();
    if (!raw) return fallback;
    if (!accepted.includes(raw as T))
      throw new BotConfigError(
        "bot.env-invalid",
        `jitops bot: ${key} is "${raw}"; accepted: ${accepted.join(", ")}`,
      );
    return raw as T;
  };

  // Platforms that cannot hold newlines in a variable store the PEM with literal "\n".
  const privateKey = set("PRIVATE_KEY")
    ? env.PRIVATE_KEY!.replace(/\\n/g, "\n")
    : fromFile("PRIVATE_KEY_PATH");
  assertPrivateKey(
    privateKey,
    set("PRIVATE_KEY") ? "PRIVATE_KEY" : `PRIVATE_KEY_PATH (${env.PRIVATE_KEY_PATH!.trim()})`,
  );
  // A secret file written with `echo` ends in a newline that is not part of the secret.
  const secret = set("WEBHOOK_SECRET")
    ? env.WEBHOOK_SECRET!
    : fromFile("WEBHOOK_SECRET_FILE").replace(/\r?\n$/, "");
  if (secret.trim() === "")
    throw new BotConfigError(
      "bot.env-missing",
      `jitops bot: WEBHOOK_SECRET_FILE (${env.WEBHOOK_SECRET_FILE!.trim()}) is empty; refusing to start`,
    );

  // All three or none: a lease without an identity could not tell replicas apart.
  const leaseVars = ["JITOPS_LEASE_NAMESPACE", "JITOPS_LEASE_NAME", "POD_NAME"] as const;
  const leaseSet = leaseVars.filter(set);
  if (
    leaseSet.length > 0 &&
    leaseSet.length < leaseVars.length &&
    (set("JITOPS_LEASE_NAMESPACE") || set("JITOPS_LEASE_NAME"))
  )
    throw new BotConfigError(
      "bot.env-missing",
      `jitops bot: ${leaseVars.filter((k) => !set(k)).join(", ")} must be set too: a Lease needs JITOPS_LEASE_NAMESPACE, JITOPS_LEASE_NAME and POD_NAME (the pod's name, from the downward API) together; refusing to start`,
    );
  const lease =
    leaseSet.length === leaseVars.length
      ? {
          namespace: env.JITOPS_LEASE_NAMESPACE!.trim(),
          name: env.JITOPS_LEASE_NAME!.trim(),
          identity: env.POD_NAME!.trim(),
        }
      : undefined;

  return {
    appId: env.APP_ID!.trim(),
    privateKey,
    secret,
    ...(env.GITHUB_API_URL ? { baseUrl: env.GITHUB_API_URL } : {}),
    port: number("PORT", 3000),
    host: env.HOST || "0.0.0.0",
    reconcileEveryMs: number("RECONCILE_INTERVAL_MS", DEFAULT_RECONCILE_MS),
    sweepEveryMs: number("SWEEP_INTERVAL_MS", DEFAULT_SWEEP_MS),
    certifyEveryMs: number("CERTIFY_INTERVAL_MS", DEFAULT_CERTIFY_MS),
    deliveryRecoveryEveryMs: number("DELIVERY_RECOVERY_INTERVAL_MS", DEFAULT_DELIVERY_RECOVERY_MS),
    ...(lease ? { lease } : {}),
    shutdownGraceMs: number("SHUTDOWN_GRACE_MS", DEFAULT_SHUTDOWN_GRACE_MS),
    logLevel: oneOf("LOG_LEVEL", LOG_LEVELS, "info"),
    logFormat: oneOf("LOG_FORMAT", LOG_FORMATS, "json"),
    ...(env.JITOPS_AUDIT_FILE?.trim() ? { auditFile: env.JITOPS_AUDIT_FILE.trim() } : {}),
    ...(env.WEBHOOK_CONCURRENCY ? { concurrency: number("WEBHOOK_CONCURRENCY", 4) } : {}),
    ...(env.WEBHOOK_QUEUE_LIMIT ? { queueLimit: number("WEBHOOK_QUEUE_LIMIT", 1000) } : {}),
  };
}
