import type { BotServerOptions } from "./server.js";

/** Every five minutes a lost delivery is picked up (GitHub never retries one). */
export const DEFAULT_RECONCILE_MS = 5 * 60_000;

/** Every five minutes expired grants are swept (the cloud already refuses them; this cleans up and reverts). */
export const DEFAULT_SWEEP_MS = 5 * 60_000;

/**
 * Bot server options from the environment (APP_ID, PRIVATE_KEY, WEBHOOK_SECRET, GITHUB_API_URL,
 * PORT, HOST, RECONCILE_INTERVAL_MS, SWEEP_INTERVAL_MS). Providers come from JITOPS_PROVIDERS.
 */
export function botOptionsFromEnv(env: Record<string, string | undefined>): BotServerOptions {
  const missing = ["APP_ID", "PRIVATE_KEY", "WEBHOOK_SECRET"].filter((k) => !env[k]?.trim());
  if (missing.length > 0)
    throw new Error(
      `jitops bot: ${missing.join(", ")} must be set (the GitHub App's id, its PEM private key and its webhook secret); refusing to start`,
    );
  const number = (key: string, fallback: number): number => {
    const raw = env[key];
    if (raw === undefined || raw === "") return fallback;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < 0)
      throw new Error(`jitops bot: ${key} must be a whole number, got "${raw}"`);
    return n;
  };
  return {
    appId: env.APP_ID!,
    // Platforms that cannot hold newlines in a variable store the PEM with literal "\n".
    privateKey: env.PRIVATE_KEY!.replace(/\\n/g, "\n"),
    secret: env.WEBHOOK_SECRET,
    ...(env.GITHUB_API_URL ? { baseUrl: env.GITHUB_API_URL } : {}),
    port: number("PORT", 3000),
    host: env.HOST || "0.0.0.0",
    reconcileEveryMs: number("RECONCILE_INTERVAL_MS", DEFAULT_RECONCILE_MS),
    sweepEveryMs: number("SWEEP_INTERVAL_MS", DEFAULT_SWEEP_MS),
  };
}
