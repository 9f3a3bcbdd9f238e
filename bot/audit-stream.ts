import { createWriteStream, openSync } from "node:fs";
import type { Writable } from "node:stream";
import { BotConfigError } from "./bot-config-error.js";

/** A sink for audit events of every kind, written as JSON lines apart from the logs. */
export interface AuditStream {
  write(event: object): void;
  /** Flushes and closes a file; stdout stays open. */
  close(): Promise<void>;
}

/**
 * Audit events as one JSON object per line: appended to `file` (JITOPS_AUDIT_FILE) when given,
 * else written to stdout, where each line is told from a log line by its `kind` (logs carry `level`).
 * A file that cannot be opened is a start-up error (`bot.audit-file-unwritable`), not lost audit.
 */
export function auditStream(file?: string, stdout: Writable = process.stdout): AuditStream {
  if (!file)
    return {
      write: (event) => void stdout.write(`${JSON.stringify(event)}\n`),
      close: () => Promise.resolve(),
    };
  let fd: number;
  try {
    fd = openSync(file, "a", 0o600);
  } catch (e) {
    const why = (e as NodeJS.ErrnoException).code ?? (e as Error).message;
    throw new BotConfigError(
      "bot.audit-file-unwritable",
      `jitops bot: JITOPS_AUDIT_FILE names ${file}, which cannot be opened for appending (${why}); refusing to start`,
    );
  }
  const out = createWriteStream("", { fd });
  return {
    write: (event) => void out.write(`${JSON.stringify(event)}\n`),
    close: () => new Promise<void>((resolve) => out.end(() => resolve())),
  };
}
