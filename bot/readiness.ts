/** What `/readyz` reports. */
export interface ReadinessStatus {
  ready: boolean;
  /** Why not ready; empty when ready. */
  reasons: string[];
  checks: {
    github: { ok: boolean; detail: string };
    /** Providers have no cheap probe in their port (list needs scopes, reconcile writes): not checked. */
    providers: { ok: true; detail: string };
  };
  draining: boolean;
}

/** Settings of the readiness prober. */
export interface ReadinessOptions {
  /** Confirms the App with GitHub (GET /app with the App's JWT); throws why it could not. */
  probe(): Promise<void>;
  log: { info(msg: string): void; warn(msg: string): void };
  /** First retry delay; doubles up to `maxDelayMs`. */
  initialDelayMs?: number;
  maxDelayMs?: number;
  providers?: string[];
}

/**
 * Readiness of one bot: not ready until GitHub confirms the App (retried with back-off while it
 * cannot, saying why in the log and the status), and not ready again from the moment it drains.
 * Once confirmed it stays ready: a GitHub outage is not a reason to take every replica out of the
 * load balancer, deliveries then fail closed on their own.
 */
export class Readiness {
  private github: { ok: boolean; detail: string } = {
    ok: false,
    detail: "GitHub has not confirmed the App yet",
  };
  private draining = false;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private attempt = 0;

  constructor(private readonly options: ReadinessOptions) {}

  /** Starts probing; resolves after the first attempt (ready or not). */
  async start(): Promise<void> {
    await this.probeOnce();
  }

  /** The status `/readyz` renders. */
  status(): ReadinessStatus {
    const reasons = [
      ...(this.draining ? ["draining: the bot is shutting down"] : []),
      ...(this.github.ok ? [] : [this.github.detail]),
    ];
    const providers = this.options.providers ?? [];
    return {
      ready: reasons.length === 0,
      reasons,
      checks: {
        github: this.github,
        providers: {
          ok: true,
          detail:
            providers.length === 0
              ? "no providers configured"
              : `${providers.join(", ")}: not probed (no cheap read-only call); a failing grant shows in jitops_grants_total`,
        },
      },
      draining: this.draining,
    };
  }

  /** Not ready from now on: the bot is shutting down. */
  drain(): void {
    this.draining = true;
    this.stop();
  }

  /** Stops retrying. */
  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  private async probeOnce(): Promise<void> {
    if (this.stopped) return;
    try {
      await this.options.probe();
      this.github = { ok: true, detail: "GitHub confirmed the App (GET /app)" };
      this.options.log.info("jitops: GitHub confirmed the App; ready");
    } catch (e) {
      const delay = Math.min(
        (this.options.initialDelayMs ?? 1000) * 2 ** this.attempt,
        this.options.maxDelayMs ?? 60_000,
      );
      this.attempt += 1;
      this.github = {
        ok: false,
        detail: `GitHub did not confirm the App (GET /app with the App's JWT: ${(e as Error).message}); check APP_ID, the private key and GITHUB_API_URL; retrying in ${delay} ms`,
      };
      this.options.log.warn(`jitops: not ready: ${this.github.detail}`);
      if (!this.stopped) this.timer = setTimeout(() => void this.probeOnce(), delay).unref();
    }
  }
}
