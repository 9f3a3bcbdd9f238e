import { fileKind, FILE_KIND_NAMES } from "../../core/file-kind.js";
import { formatFileError } from "../../core/format-file-error.js";
import { parseTestCase } from "../../core/policy-test-case.js";
import { decideCase } from "../../core/run-test-case.js";
import { readEach } from "../../tree/read-files.js";
import { readRepoBase } from "../../tree/read-repo-base.js";
import { UsageError } from "../command-spec.js";
import { EXIT } from "../exit-status.js";
import { paint, type Output } from "../output.js";
import { printJson } from "../report-failure.js";

/**
 * `jitops decide CASE` (a repository-relative path): prints the decision for one case (its expect
 * is ignored). With `exitCode`, the status says whether the decision is approved.
 */
export async function runDecide(
  path: string,
  opts: { json?: boolean; root: string; exitCode?: boolean },
  o: Output,
): Promise<number> {
  const kind = fileKind(path);
  if (kind !== "test-case")
    throw new UsageError(`${path} is ${FILE_KIND_NAMES[kind]}, not a policy test case (*.test.yaml)`);
  const [read] = await readEach(opts.root, [path]);
  if ("error" in read!) throw new UsageError(read.error.message);
  const parsed = parseTestCase(read!.content);
  if (!parsed.ok) {
    if (opts.json)
      printJson(o, {
        ok: false,
        error: { code: "invalid", message: `${path} is not a valid policy test case` },
        results: [{ path, ok: false, errors: parsed.errors }],
      });
    else for (const e of parsed.errors) o.out(formatFileError(path, e, (c) => paint(o, "red", c)));
    return EXIT.findings;
  }
  const d = decideCase(parsed.value, await readRepoBase(opts.root));
  const status = opts.exitCode && d.decision !== "approved" ? EXIT.findings : EXIT.ok;
  if (opts.json) {
    printJson(o, d);
    return status;
  }
  const color = d.decision === "approved" ? "green" : d.decision === "pending" ? "yellow" : "red";
  o.out(`decision: ${paint(o, color, d.decision)}`);
  for (const r of d.reasons) o.out(`  - ${r}`);
  for (const r of d.requests) {
    o.out(`${r.path}: ${r.decision}${r.entitlement ? ` (${r.entitlement} for ${r.principal ?? "?"})` : ""}`);
    for (const rule of r.rules)
      o.out(
        `    ${rule.name}: ${rule.have}/${rule.need}${rule.approvers.length ? ` (${rule.approvers.join(", ")})` : ""}`,
      );
  }
  for (const rule of d.policy?.rules ?? [])
    o.out(
      `  policy ${rule.name}: ${rule.have}/${rule.need}${rule.approvers.length ? ` (${rule.approvers.join(", ")})` : ""}`,
    );
  return status;
}
