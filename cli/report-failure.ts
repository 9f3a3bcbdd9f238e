import { ConfigError } from "../core/config-error.js";
import { UsageError } from "./command-spec.js";
import { EXIT } from "./exit-status.js";
import type { FileCheck } from "../core/load-policy.js";
import { formatFileError } from "../core/format-file-error.js";
import { paint, type Output } from "./output.js";

/** What went wrong, as `--json` prints it: `{"ok":false,"error":{...}}`. */
export interface ErrorDocument {
  ok: false;
  error: { code: "usage" | "config" | "runtime" | "invalid"; message: string; hint?: string };
}

/** Prints one JSON document on stdout: with `--json`, stdout never holds anything else. */
export function printJson(o: Output, doc: unknown): void {
  o.out(JSON.stringify(doc));
}

/**
 * Reports files that keep a command from doing its work, like validate does: each error at its
 * path, line and column (or, with `--json`, one document with the failing files); exit status 1.
 */
export function reportInvalidFiles(o: Output, json: boolean, results: FileCheck[], message: string): number {
  const failing = results.filter((r) => !r.ok);
  if (json) printJson(o, { ok: false, error: { code: "invalid", message }, results: failing });
  else {
    for (const r of failing)
      for (const e of r.errors) o.out(formatFileError(r.path, e, (c) => paint(o, "red", c)));
    o.err(`error: ${message}`);
  }
  return EXIT.findings;
}

/**
 * Reports an error a command threw and returns its exit status: a usage error or a ConfigError
 * is 2 (with the hint that fixes it), anything else is a runtime failure, 3.
 */
export function reportFailure(e: unknown, ctx: { json: boolean; command?: string }, o: Output): number {
  const err = e instanceof Error ? e : new Error(String(e));
  const usage = e instanceof UsageError || (err as { usage?: boolean }).usage === true;
  const config = e instanceof ConfigError;
  const hint = (err as { hint?: unknown }).hint;
  const code = usage ? "usage" : config ? "config" : "runtime";
  if (ctx.json) {
    const error: ErrorDocument["error"] = { code, message: err.message };
    if (typeof hint === "string") error.hint = hint;
    printJson(o, { ok: false, error } satisfies ErrorDocument);
  } else if (usage) {
    o.err(`error: ${err.message}`);
    o.err(
      ctx.command ? `(run jitops ${ctx.command} --help for usage)` : "(run jitops --help for the commands)",
    );
  } else if (config) {
    o.err(`error: ${err.message}${typeof hint === "string" ? `; ${hint}` : ""}`);
  } else {
    o.err(`error: ${err.message}`);
  }
  return usage || config ? EXIT.usage : EXIT.runtime;
}
