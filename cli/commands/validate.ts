import { validateFiles } from "../../core/validate-files.js";
import { isPolicyPath } from "../../core/load-policy.js";
import { listYaml, readFiles } from "../../tree/read-files.js";
import { paint, type Output } from "../output.js";

/** Options of `jitops validate`. */
export interface ValidateOptions {
  json?: boolean;
  root: string;
  now: Date;
}

/** Validates request files (default: access/requests/*) and always the policies; returns the exit code. */
export async function runValidate(files: string[], opts: ValidateOptions, o: Output): Promise<number> {
  const policyPaths = (await listYaml(opts.root, "policies")).filter(isPolicyPath);
  const requestPaths = files.length > 0 ? files : await listYaml(opts.root, "access/requests");
  const [policies, requests] = await Promise.all([
    readFiles(opts.root, policyPaths),
    readFiles(opts.root, requestPaths),
  ]);
  const report = validateFiles(policies, requests, opts.now);
  if (opts.json) {
    o.out(JSON.stringify(report));
    return report.ok ? 0 : 1;
  }
  let errors = 0;
  for (const r of report.results) {
    for (const e of r.errors) {
      errors++;
      o.out(`${r.path}:${e.line}:${e.column}  ${paint(o, "red", e.code)}  ${e.message}`);
    }
  }
  const n = report.results.length;
  const summary = report.ok
    ? paint(o, "green", `${n} file${n === 1 ? "" : "s"} valid`)
    : paint(
        o,
        "red",
        `${errors} error${errors === 1 ? "" : "s"} in ${report.results.filter((r) => !r.ok).length} of ${n} files`,
      );
  o.out(summary);
  return report.ok ? 0 : 1;
}
