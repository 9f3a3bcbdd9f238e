import { stat } from "node:fs/promises";
import { join } from "node:path";
import type { FileError } from "../../core/file-error.js";
import { fileKind, FILE_KIND_NAMES } from "../../core/file-kind.js";
import { formatFileError } from "../../core/format-file-error.js";
import { parseTestCase } from "../../core/policy-test-case.js";
import { runTestCase } from "../../core/run-test-case.js";
import { listYaml, readEach } from "../../tree/read-files.js";
import { readRepoBase } from "../../tree/read-repo-base.js";
import { EXIT } from "../exit-status.js";
import { paint, type Output } from "../output.js";
import { printJson } from "../report-failure.js";

/** Expands folders into the `*.test.yaml` cases directly in them; files given stay as given. */
async function casePaths(root: string, paths: string[] | undefined): Promise<string[]> {
  const out: string[] = [];
  for (const p of paths ?? [DEFAULT_CASES]) {
    const s = await stat(join(root, p)).catch(() => undefined);
    if (s?.isDirectory()) out.push(...(await listYaml(root, p)).filter((f) => fileKind(f) === "test-case"));
    else if (paths) out.push(p); // a file, or nothing there: reading reports it
  }
  return [...new Set(out)];
}

const DEFAULT_CASES = "policies/tests";

/** One case's line of the report, as `--json` prints it. */
interface CaseResult {
  path: string;
  name: string;
  ok: boolean;
  expected?: string;
  actual?: string;
  failure?: string;
  /** Every error of a case file that could not be run. */
  errors?: FileError[];
}

const broken = (path: string, errors: FileError[]): CaseResult => ({
  path,
  name: path,
  ok: false,
  failure: errors.map((e) => formatFileError(path, e)).join("\n"),
  errors,
});

/**
 * `jitops test`: runs policy test cases (repository-relative paths; default: policies/tests); one
 * line per case, then `N passed, N failed`. Finding no case at all fails like a failed case (exit
 * 1, as FORMATS.md says): a policy whose tests never ran must not pass.
 */
export async function runTest(
  paths: string[] | undefined,
  opts: { json?: boolean; root: string },
  o: Output,
): Promise<number> {
  const files = await casePaths(opts.root, paths);
  if (files.length === 0) {
    const message = `no policy test cases (*.test.yaml) in ${(paths ?? [DEFAULT_CASES]).join(", ")}; write cases as FORMATS.md shows, or name the files or folders that hold them`;
    if (opts.json) printJson(o, { ok: false, passed: 0, failed: 0, cases: [], error: { message } });
    else o.err(`error: ${message}`);
    return EXIT.findings;
  }
  const repoFiles = await readRepoBase(opts.root);
  const cases: CaseResult[] = [];
  for (const read of await readEach(opts.root, files)) {
    const { path } = read;
    const kind = fileKind(path);
    if (kind !== "test-case") {
      const message = `${path} is ${FILE_KIND_NAMES[kind]}, not a policy test case (*.test.yaml)`;
      cases.push(broken(path, [{ line: 1, column: 1, code: "file.kind", message }]));
      continue;
    }
    if ("error" in read) {
      cases.push(broken(path, [read.error]));
      continue;
    }
    const parsed = parseTestCase(read.content);
    if (!parsed.ok) {
      cases.push(broken(path, parsed.errors));
      continue;
    }
    const r = runTestCase(parsed.value, repoFiles);
    cases.push({
      path,
      name: parsed.value.name,
      ok: r.pass,
      ...(parsed.value.expect ? { expected: parsed.value.expect.decision } : {}),
      actual: r.decision.decision,
      ...(r.failure ? { failure: r.failure } : {}),
    });
  }
  const passed = cases.filter((c) => c.ok).length;
  const failed = cases.length - passed;
  if (opts.json) {
    printJson(o, { ok: failed === 0, passed, failed, cases });
  } else {
    for (const c of cases) {
      if (c.ok) o.out(`${paint(o, "green", "PASS")}  ${c.name}`);
      else {
        o.out(`${paint(o, "red", "FAIL")}  ${c.name}`);
        for (const line of (c.failure ?? "").split("\n")) o.out(`      ${line}`);
      }
    }
    o.out(`${passed} passed, ${failed} failed`);
  }
  return failed === 0 ? EXIT.ok : EXIT.findings;
}
