import type { FileError } from "./file-error.js";
import type { FileCheck } from "./load-policy.js";

/** One finding to show a person: a file's error, or a note that stands for several files. */
export type Finding = { path: string; error: FileError } | { note: string; code: string };

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

/**
 * The findings of a validation, in order, for people (lines, annotations). When the policy is
 * broken every request carries `policy.invalid`; it is shown once, after the policy's own errors,
 * instead of once per request.
 */
export function shownFindings(results: FileCheck[]): Finding[] {
  const findings: Finding[] = [];
  let unchecked = 0;
  for (const r of results) {
    for (const error of r.errors) {
      if (error.code === "policy.invalid") unchecked++;
      else findings.push({ path: r.path, error });
    }
  }
  if (unchecked > 0) {
    const note = `the policy under policies/ has errors, so ${plural(unchecked, "request file")} ${unchecked === 1 ? "was" : "were"} not checked against it`;
    let after = 0;
    findings.forEach((f, i) => {
      if ("path" in f && f.path.startsWith("policies/")) after = i + 1;
    });
    findings.splice(after, 0, { code: "policy.invalid", note });
  }
  return findings;
}

/**
 * One sentence for the end of a validation: `2 files valid`, `1 error in 1 file`,
 * `3 errors in 2 of 5 files`, `2 errors in all 2 files`. `errors` counts the findings shown.
 */
export function validationSummary(results: FileCheck[], errors: number): string {
  const n = results.length;
  const bad = results.filter((r) => !r.ok).length;
  if (bad === 0) return `${plural(n, "file")} valid`;
  const where = n === 1 ? "1 file" : bad === n ? `all ${n} files` : `${bad} of ${n} files`;
  return `${plural(errors, "error")} in ${where}`;
}
