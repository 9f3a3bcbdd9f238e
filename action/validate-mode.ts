import { realpath } from "node:fs/promises";
import { resolve } from "node:path";
import { ConfigError } from "../core/config-error.js";
import type { Env } from "../core/env.js";
import { summarizeRequest } from "../core/describe-request.js";
import { formatFileError } from "../core/format-file-error.js";
import { shownFindings, validationSummary } from "../core/validation-summary.js";
import { changedRequestFiles } from "../tree/changed-requests.js";
import { holdsPolicies } from "../tree/find-repo-root.js";
import { findMergedRequests } from "../tree/merged-requests.js";
import { repoPath } from "../tree/repo-path.js";
import { validateCheckout } from "../tree/validate-checkout.js";
import type { ActionIO } from "./action-io.js";

/**
 * `mode: validate`: checks the checkout's policies and requests, annotates, summarises, sets outputs.
 * `path` is the `path` input (relative to the workspace, or absolute). On a pull request it checks
 * the requests the PR adds or changes (git, with the base commit fetched); otherwise, or in a
 * shallow clone, every request file. A request already on the default branch is never failed for
 * a start that has passed; a new or changed one is. A wrong `path` or `files` entry fails the step
 * with the reason: a run that checked nothing never passes.
 */
export async function runValidateMode(io: ActionIO, path: string, now: Date, env: Env): Promise<void> {
  const given = resolve(env.GITHUB_WORKSPACE ?? process.cwd(), path);
  if (!(await holdsPolicies(given))) {
    io.setFailed(
      `jitops validate: no policies/ folder in ${given}; set the path input to the root of the access repository checkout (default: $GITHUB_WORKSPACE)`,
    );
    return;
  }
  const root = await realpath(given);
  const files: string[] = [];
  for (const f of io.input("files").split(/\s+/).filter(Boolean)) {
    const p = await repoPath(root, resolve(root, f));
    if (p === undefined) {
      io.setFailed(
        `jitops validate: files: ${f} is outside the repository ${given}; list files inside path, relative to it or absolute`,
      );
      return;
    }
    files.push(p);
  }
  const changed = files.length > 0 ? undefined : await changedRequestFiles(root, env);
  if (files.length === 0 && changed === undefined && /^pull_request/.test(env.GITHUB_EVENT_NAME ?? "")) {
    io.info(
      "checking every request file: the base commit is not in this checkout (use actions/checkout with fetch-depth: 0 to check only the PR's requests)",
    );
  }
  const requestPaths = files.length > 0 ? files : changed;
  let report;
  try {
    report = await validateCheckout(root, {
      ...(requestPaths ? { files: requestPaths } : {}),
      now,
      merged: async (paths) => (await findMergedRequests(root, paths, { env })).merged,
    });
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    io.setFailed(`jitops validate: ${e.message}${e.hint ? `; ${e.hint}` : ""}`);
    return;
  }
  const findings = shownFindings(report.results);
  for (const f of findings) {
    if ("path" in f) {
      const { path: file, error: e } = f;
      io.annotate("error", e.message, { file, line: e.line, column: e.column, title: `jitops ${e.code}` });
      io.info(formatFileError(file, e));
    } else io.info(`${f.code}: ${f.note}`);
  }
  const rows = [["Request", "Entitlement", "Principal", "Duration", "Starts", "Approvals needed"]];
  const summaries = report.checked.map(summarizeRequest);
  for (const s of summaries)
    rows.push([s.name, s.entitlement, s.principal, s.duration, s.start, s.approvals]);
  const notes = findings.flatMap((f) => ("note" in f ? [` ${f.note}.`] : []));
  const text = report.ok
    ? `${report.results.length} files checked: all valid.`
    : `${validationSummary(report.results, findings.length)}; see the annotations.${notes.join("")}`;
  await io.summary({ heading: "jitops: access requests", rows, text });
  io.setOutput("valid", String(report.ok));
  io.setOutput("errors", String(findings.length));
  io.setOutput("requests", JSON.stringify(summaries));
  io.info(text);
  if (!report.ok) io.setFailed(text);
}
