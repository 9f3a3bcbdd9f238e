import { readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import { parseTestCase } from "../../core/policy-test-case.js";
import { runTestCase } from "../../core/run-test-case.js";
import { listYaml } from "../../tree/read-files.js";
import { readRepoBase } from "../../tree/read-repo-base.js";
import { paint, type Output } from "../output.js";

/** Expands files and folders into `*.test.yaml` case paths. */
async function casePaths(root: string, paths: string[]): Promise<string[]> {
  const out: string[] = [];
  for (const p of paths) {
    const s = await stat(join(root, p));
    if (s.isDirectory())
      out.push(...(await listYaml(root, p.replace(/\/+$/, ""))).filter((f) => /\.test\.ya?ml$/.test(f)));
    else out.push(p);
  }
  return out;
}

/** `jitops test`: runs policy test cases; one line per case, then `N passed, N failed`. */
export async function runTest(
  paths: string[],
  opts: { json?: boolean; root: string },
  o: Output,
): Promise<number> {
  const files = await casePaths(opts.root, paths.length > 0 ? paths : ["policies/tests"]);
  const repoFiles = await readRepoBase(opts.root);
  const cases = [];
  for (const path of files) {
    const parsed = parseTestCase(await readFile(join(opts.root, path), "utf8"));
    if (!parsed.ok) {
      const e = parsed.errors[0]!;
      cases.push({
        path,
        name: path,
        ok: false,
        failure: `${path}:${e.line}:${e.column} ${e.code}: ${e.message}`,
      });
      continue;
    }
    const r = runTestCase(parsed.value, repoFiles);
    cases.push({
      path,
      name: parsed.value.name,
      ok: r.pass,
      expected: parsed.value.expect?.decision,
      actual: r.decision.decision,
      ...(r.failure ? { failure: r.failure } : {}),
    });
  }
  const passed = cases.filter((c) => c.ok).length;
  const failed = cases.length - passed;
  if (opts.json) {
    o.out(JSON.stringify({ ok: failed === 0, passed, failed, cases }));
  } else {
    for (const c of cases) {
      o.out(
        c.ok
          ? `${paint(o, "green", "PASS")}  ${c.name}`
          : `${paint(o, "red", "FAIL")}  ${c.name}\n      ${c.failure}`,
      );
    }
    if (cases.length === 0) o.out("no test cases found");
    o.out(`${passed} passed, ${failed} failed`);
  }
  return failed === 0 && cases.length > 0 ? 0 : 1;
}
