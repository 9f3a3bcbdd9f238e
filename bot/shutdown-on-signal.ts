import type { BotServer } from "./server.js";

/** The part of `process` shutdown needs: signals and exit. */
export interface SignalTarget {
  once(signal: "SIGTERM" | "SIGINT", listener: () => void): unknown;
  exit(code: number): void;
}

/**
 * On the first SIGTERM or SIGINT: stop accepting and drain within `graceMs` (Kubernetes kills the
 * pod 30 s after SIGTERM, so the default 20 s leaves room), then exit 0, or 1 when the grace ran out
 * with work in flight (the reconcile pass of another replica picks it up). A second signal exits at once.
 */
export function shutdownOnSignals(
  server: Pick<BotServer, "shutdown" | "probot">,
  graceMs: number,
  target: SignalTarget = process,
): void {
  let stopping = false;
  const onSignal = (signal: string) => {
    const log = server.probot.log;
    if (stopping) {
      log.warn(`jitops: ${signal} again; exiting without waiting`);
      target.exit(1);
      return;
    }
    stopping = true;
    log.info(
      `jitops: ${signal}: not ready, no longer listening; finishing in-flight work (up to ${graceMs} ms)`,
    );
    void server.shutdown(graceMs).then(
      ({ drained }) => {
        log.info(
          drained ? "jitops: in-flight work finished; exiting" : "jitops: exiting with work unfinished",
        );
        target.exit(drained ? 0 : 1);
      },
      (e: Error) => {
        log.error(`jitops: shutdown failed: ${e.message}`);
        target.exit(1);
      },
    );
  };
  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    const listen = () => {
      onSignal(signal);
      // Listen again: a second signal must reach us, not the default handler.
      target.once(signal, listen);
    };
    target.once(signal, listen);
  }
}
