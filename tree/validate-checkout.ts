import { stat } from "node:fs/promises";
import { join } from "node:path";
import { parseCertificationRecord } from "../core/certification/certification-record.js";
import type { CheckedRequest } from "../core/check-request.js";
import { ConfigError } from "../core/config-error.js";
import { fileKind, FILE_KIND_NAMES } from "../core/file-kind.js";
import type { FileCheck } from "../core/load-policy.js";
import { parseTestCase } from "../core/policy-test-case.js";
import type { SourceFile } from "../core/types.js";
import { validateFiles, type ValidationReport } from "../core/validate-files.js";
import { listYaml, readEach, type ReadOutcome } from "./read-files.js";
import { findCodeownersPath } from "./read-repo-base.js";

/** What `jitops validate` and the Action's validate mode check in a checkout. */
export interface CheckoutInput {
  /** Repository-relative paths to check; undefined: every file under access/requests/. Policies are always checked. */
  files?: string[];
  now: Date;
  /** Which of the request paths (readable ones) are already merged, so their start may have passed. */
  merged?: (requestPaths: string[]) => Promise<ReadonlySet<string>>;
}

/**
 * Validates a checkout whose root holds `policies/`: every policy file, then each path given (a
 * folder: its YAML files; default: every request), each by the kind its path says (FORMATS.md
 * layout). A path that cannot be read, or of a kind nothing checks, is a finding of its own; the
 * rest are still checked. Throws ConfigError when there is no policy file at all: a run that
 * checked nothing must not pass.
 */
export async function validateCheckout(
  root: string,
  input: CheckoutInput,
): Promise<ValidationReport & { checked: CheckedRequest[] }> {
  const policyPaths = (await listYaml(root, "policies")).filter((p) => fileKind(p) === "policy");
  if (policyPaths.length === 0)
    throw new ConfigError(
      `no policy files in ${root}/policies`,
      "add the policy as policies/<name>.yaml (kind: Policy), see FORMATS.md",
    );
  // The CODEOWNERS GitHub uses is checked with the policies: a line GitHub skips is a finding.
  const owners = await findCodeownersPath(root);
  const basePaths = [...policyPaths, ...(owners ? [owners] : [])];
  const given = [...new Set(input.files ? await expandFolders(root, input.files) : await requestFiles(root))];
  const read = new Map<string, ReadOutcome>();
  const wanted = [
    ...basePaths,
    ...given.filter((p) => ["request", "test-case", "certification"].includes(fileKind(p))),
  ];
  for (const r of await readEach(root, [...new Set(wanted)])) read.set(r.path, r);
  const readable = (paths: string[]) =>
    paths.flatMap((p) => {
      const r = read.get(p);
      return r && "content" in r ? [r] : [];
    });
  const unreadable = (p: string): FileCheck | undefined => {
    const r = read.get(p);
    return r && "error" in r ? { path: p, ok: false, errors: [r.error] } : undefined;
  };

  const requests: SourceFile[] = readable(given.filter((p) => fileKind(p) === "request"));
  const merged = input.merged ? await input.merged(requests.map((r) => r.path)) : new Set<string>();
  const report = validateFiles(readable(basePaths), requests, input.now, { merged });
  const byPath = new Map(report.results.map((r) => [r.path, r]));

  const results: FileCheck[] = basePaths.map((p) => unreadable(p) ?? byPath.get(p)!);
  for (const path of given) {
    const kind = fileKind(path);
    if (kind === "policy") continue; // checked above, with the others
    if (kind === "codeowners") continue; // the one GitHub uses is checked with the policies
    if (kind === "other") {
      results.push({ path, ok: false, errors: [notChecked(path)] });
      continue;
    }
    const missing = unreadable(path);
    if (missing) results.push(missing);
    else if (kind === "request") results.push(byPath.get(path)!);
    else if (kind === "certification") {
      const checked = parseCertificationRecord(read.get(path) as SourceFile);
      results.push({ path, ok: checked.ok, errors: checked.ok ? [] : checked.errors });
    } else {
      const parsed = parseTestCase((read.get(path) as SourceFile).content);
      results.push({ path, ok: parsed.ok, errors: parsed.ok ? [] : parsed.errors });
    }
  }
  return { ok: results.every((r) => r.ok), results, checked: report.checked };
}

const requestFiles = (root: string) => listYaml(root, "access/requests");

/**
 * Folders given stand for the YAML files directly in them (the repository root for its requests).
 * A folder named like a file (`x.yaml`) stays, to be reported as not a file.
 */
async function expandFolders(root: string, paths: string[]): Promise<string[]> {
  const out: string[] = [];
  for (const p of paths) {
    const folder = !/\.ya?ml$/.test(p) && (await stat(join(root, p)).catch(() => undefined))?.isDirectory();
    if (!folder) out.push(p);
    else out.push(...(p === "." ? await requestFiles(root) : await listYaml(root, p)));
  }
  return out;
}

function notChecked(path: string) {
  return {
    line: 1,
    column: 1,
    code: "file.kind",
    message: `${path} is ${FILE_KIND_NAMES.other}, so nothing checks it; requests live in access/requests/<name>.yaml`,
  };
}
