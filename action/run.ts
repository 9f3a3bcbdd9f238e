import type { Clock } from "../core/clock.js";
import type { Env } from "../core/env.js";
import type { ActionIO } from "./action-io.js";
import { runCredentialsMode } from "./credentials-mode.js";
import { runValidateMode } from "./validate-mode.js";

/** Modes the action accepts, first the default. */
export const MODES = ["validate", "credentials", "reconcile", "expire"] as const;

/** Reads `mode` and runs it; failures become a failed step with a message, never an unhandled throw. */
export async function runAction(io: ActionIO, env: Env, now: Clock): Promise<void> {
  const mode = io.input("mode") || "validate";
  const root = io.input("path") || env.GITHUB_WORKSPACE || ".";
  try {
    switch (mode) {
      case "validate":
        await runValidateMode(io, root, now(), env);
        return;
      case "credentials":
        await runCredentialsMode(io, root, env, now);
        return;
      // Loaded on demand: the cloud SDKs the sweeper needs would slow every validate run's start.
      case "reconcile":
        await (await import("./reconcile-mode.js")).runReconcileMode(io, env, now);
        return;
      case "expire":
        await (await import("./expire-mode.js")).runExpireMode(io, env, now);
        return;
      default:
        io.setFailed(`unknown mode "${mode}"; accepted modes: ${MODES.join(", ")}`);
    }
  } catch (e) {
    io.setFailed(`jitops ${mode} failed: ${(e as Error).message}`);
  }
}
