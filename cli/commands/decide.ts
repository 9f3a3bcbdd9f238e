import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { parseTestCase } from "../../core/policy-test-case.js";
import { decideCase } from "../../core/run-test-case.js";
import { readRepoBase } from "../../tree/read-repo-base.js";
import { paint, type Output } from "../output.js";

/** `jitops decide CASE`: prints the decision for one case (its expect is ignored). */
export async function runDecide(
  path: string,
  opts: { json?: boolean; root: string },
  o: Output,
): Promise<number> {
  const parsed = parseTestCase(await readFile(join(opts.root, path), "utf8"));
  if (!parsed.ok) {
    for (const e of parsed.errors) o.err(`${path}:${e.line}:${e.column}  ${e.code}  ${e.message}`);
    return 2;
  }
  const d = decideCase(parsed.value, await readRepoBase(opts.root));
  if (opts.json) {
    o.out(JSON.stringify(d));
    return 0;
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
  return 0;
}
