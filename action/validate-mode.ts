import { checkRequest } from "../core/check-request.js";
import { summarizeRequest } from "../core/describe-request.js";
import { isPolicyPath, loadPolicy } from "../core/load-policy.js";
import { changedRequestFiles } from "../tree/changed-requests.js";
import { listYaml, readFiles } from "../tree/read-files.js";
import type { ActionIO } from "./action-io.js";

/**
 * `mode: validate`: checks the checkout's policies and requests, annotates, summarises, sets outputs.
 * On a pull request it checks the requests the PR adds or changes (git, with the base commit
 * fetched); otherwise, or in a shallow clone, every request file.
 */
export async function runValidateMode(
  io: ActionIO,
  root: string,
  now: Date,
  env: NodeJS.ProcessEnv = {},
): Promise<void> {
  const policyPaths = (await listYaml(root, "policies")).filter(isPolicyPath);
  const given = io.input("files").split(/\s+/).filter(Boolean);
  const changed = given.length > 0 ? undefined : await changedRequestFiles(root, env);
  if (given.length === 0 && changed === undefined && /^pull_request/.test(env.GITHUB_EVENT_NAME ?? "")) {
    io.info(
      "checking every request file: the base commit is not in this checkout (use actions/checkout with fetch-depth: 0 to check only the PR's requests)",
    );
  }
  const requestPaths = given.length > 0 ? given : (changed ?? (await listYaml(root, "access/requests")));
  const [policies, requests] = await Promise.all([
    readFiles(root, policyPaths),
    readFiles(root, requestPaths),
  ]);
  const loaded = loadPolicy(policies);
  const results = [...loaded.results];
  const rows = [["Request", "Entitlement", "Principal", "Duration", "Starts", "Approvals needed"]];
  const summaries = [];
  for (const file of requests) {
    const r = checkRequest(file, loaded.policy, now);
    results.push({ path: file.path, ok: r.ok, errors: r.ok ? [] : r.errors });
    if (r.ok) {
      const s = summarizeRequest(r.value);
      summaries.push(s);
      rows.push([s.name, s.entitlement, s.principal, s.duration, s.start, s.approvals]);
    }
  }
  let errors = 0;
  for (const r of results) {
    for (const e of r.errors) {
      errors++;
      io.annotate("error", e.message, {
        file: r.path,
        line: e.line,
        column: e.column,
        title: `jitops ${e.code}`,
      });
    }
  }
  const ok = errors === 0;
  const text = ok
    ? `${results.length} files checked: all valid.`
    : `${errors} error${errors === 1 ? "" : "s"} in ${results.filter((r) => !r.ok).length} of ${results.length} files; see the annotations.`;
  await io.summary({ heading: "jitops: access requests", rows, text });
  io.setOutput("valid", String(ok));
  io.setOutput("errors", String(errors));
  io.setOutput("requests", JSON.stringify(summaries));
  io.info(text);
  if (!ok) io.setFailed(text);
}
