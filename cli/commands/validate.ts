import type { Env } from "../../core/env.js";
import { formatFileError } from "../../core/format-file-error.js";
import { shownFindings, validationSummary } from "../../core/validation-summary.js";
import { findMergedRequests } from "../../tree/merged-requests.js";
import { validateCheckout } from "../../tree/validate-checkout.js";
import { EXIT } from "../exit-status.js";
import { paint, type Output } from "../output.js";
import { printJson } from "../report-failure.js";

/** Options of `jitops validate`. */
export interface ValidateOptions {
  json?: boolean;
  root: string;
  now: Date;
  /** The environment, to recognise a GitHub Actions run on the default branch or a pull request. */
  env: Env;
  /** The default branch's git ref; see findMergedRequests. */
  defaultBranch?: string;
}

/**
 * Validates the files given (repository-relative; default: access/requests/*) and always the
 * policies; returns the exit status. Requests already merged are not failed for a passed start.
 */
export async function runValidate(
  files: string[] | undefined,
  opts: ValidateOptions,
  o: Output,
): Promise<number> {
  const report = await validateCheckout(opts.root, {
    ...(files ? { files } : {}),
    now: opts.now,
    merged: async (paths) =>
      (
        await findMergedRequests(opts.root, paths, {
          env: opts.env,
          ...(opts.defaultBranch ? { ref: opts.defaultBranch } : {}),
        })
      ).merged,
  });
  const status = report.ok ? EXIT.ok : EXIT.findings;
  if (opts.json) {
    printJson(o, { ok: report.ok, results: report.results });
    return status;
  }
  const findings = shownFindings(report.results);
  for (const f of findings) {
    o.out(
      "path" in f
        ? formatFileError(f.path, f.error, (code) => paint(o, "red", code))
        : `${paint(o, "red", f.code)}: ${f.note}`,
    );
  }
  const summary = validationSummary(report.results, findings.length);
  o.out(paint(o, report.ok ? "green" : "red", summary));
  return status;
}
