import { parse } from "yaml";
import { isPolicyPath } from "../../../core/load-policy.js";
import { parseTestCase } from "../../../core/policy-test-case.js";
import { runTestCase } from "../../../core/run-test-case.js";
import type { SourceFile } from "../../../core/types.js";
import { validateFiles } from "../../../core/validate-files.js";
import type { YamlExample } from "./markdown-examples.js";

/** What an example is checked against: the policy files in force, the repository's files, and "now". */
export interface ExampleContext {
  policies: SourceFile[];
  repoFiles: SourceFile[];
  now: Date;
}

const codesOf = (errors: { code: string }[]) => [...new Set(errors.map((e) => e.code))].sort();
const list = (codes: string[]) => codes.join(" ") || "no error";

/** The request's path: `path=` from the marker, else from its metadata.name (the file-stem rule). */
function requestPath(e: YamlExample, explicit: string | undefined): string {
  if (explicit) return explicit;
  try {
    const name = (parse(e.yaml) as { metadata?: { name?: unknown } } | null)?.metadata?.name;
    if (typeof name === "string" && name) return `access/requests/${name}.yaml`;
  } catch {
    // unparseable: the check below reports the YAML error code
  }
  return "access/requests/example.yaml";
}

/**
 * Checks one example the way `jitops validate` and `jitops test` would and compares with its claim.
 * Returns why it does not hold, or undefined when it does.
 */
export function checkExample(e: YamlExample, ctx: ExampleContext): string | undefined {
  const where = `${e.file}:${e.line}`;
  const claim = e.claim;
  if (!claim) return `${where}: ${e.marker}`;
  const compare = (valid: boolean, codes: string[], got: string[]) => {
    if (valid && got.length > 0) return `${where}: claims valid, but ${list(got)}`;
    if (!valid && list(got) !== list([...codes].sort()))
      return `${where}: claims ${list([...codes].sort())}, got ${list(got)}`;
    return undefined;
  };
  switch (claim.kind) {
    case "fragment":
    case "workflow": {
      let data: unknown;
      try {
        data = parse(e.yaml);
      } catch (err) {
        return `${where}: not YAML: ${(err as Error).message.split("\n")[0]}`;
      }
      if (claim.kind === "workflow" && !(data && typeof data === "object" && "jobs" in data && "on" in data))
        return `${where}: a workflow needs on: and jobs:`;
      return undefined;
    }
    case "policy": {
      const file = { path: `policies/${e.file.replace(/\W+/g, "-")}-${e.line}.yaml`, content: e.yaml };
      const report = validateFiles([file], [], ctx.now);
      return compare(claim.valid, claim.codes, codesOf(report.results.flatMap((r) => r.errors)));
    }
    case "request": {
      const file = { path: requestPath(e, claim.path), content: e.yaml };
      const report = validateFiles(ctx.policies, [file], ctx.now);
      const broken = report.results.filter((r) => isPolicyPath(r.path) && !r.ok);
      if (broken.length > 0)
        return `${where}: the policy it is checked against is invalid (${broken.map((r) => r.path).join(", ")})`;
      const mine = report.results.find((r) => r.path === file.path)!;
      return compare(claim.valid, claim.codes, codesOf(mine.errors));
    }
    case "test-case": {
      const parsed = parseTestCase(e.yaml);
      if (!parsed.ok) return compare(claim.valid, claim.codes, codesOf(parsed.errors));
      if (!claim.valid) return `${where}: claims ${list(claim.codes)}, but the case parses`;
      const outcome = runTestCase(parsed.value, ctx.repoFiles);
      return outcome.pass ? undefined : `${where}: the case does not pass: ${outcome.failure}`;
    }
  }
}
