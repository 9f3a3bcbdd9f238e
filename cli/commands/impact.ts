import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import { reportPolicyImpact } from "../../app/report-policy-impact.js";
import { parseDuration } from "../../core/duration.js";
import { prepareBase } from "../../core/evaluate/prepare-base.js";
import type { DirectorySnapshot } from "../../core/evaluate/pull-snapshot.js";
import { formatFileError } from "../../core/format-file-error.js";
import { requestLabel } from "../../core/impact/impact-headline.js";
import type { ImpactReport } from "../../core/impact/impact-report.js";
import { parseDirectory } from "../../core/impact/parse-directory.js";
import { renderImpactJson } from "../../core/impact/render-impact-json.js";
import { coverageLines } from "../../core/impact/render-impact-markdown.js";
import { ConfigError } from "../../core/config-error.js";
import { readLocalImpactHistory } from "../../tree/impact-history.js";
import { readRepoBase } from "../../tree/read-repo-base.js";
import { UsageError } from "../command-spec.js";
import { EXIT } from "../exit-status.js";
import { paint, type Output } from "../output.js";
import { printJson } from "../report-failure.js";

/** Options of `jitops impact`. */
export interface ImpactOptions {
  root: string;
  /** Where relative --directory paths start (the working directory or -C). */
  from: string;
  base?: string;
  /** How far back merged requests are replayed, e.g. 90d. */
  since: string;
  directory?: string;
  json?: boolean;
  now: Date;
}

/**
 * `jitops impact`: the working tree's policies/ against the base's, replayed on the requests merged
 * on the base within --since. Exit 0 when nothing would change, 1 when something would (or a
 * policy is invalid).
 */
export async function runImpact(opts: ImpactOptions, o: Output): Promise<number> {
  const minutes = parseDuration(opts.since);
  if (minutes === undefined || minutes <= 0)
    throw new UsageError(`--since ${opts.since} is not accepted; give a duration such as 90d, 14d or 36h`);
  let directory: DirectorySnapshot | undefined;
  if (opts.directory !== undefined) {
    const path = resolve(opts.from, opts.directory);
    const text = await readFile(path, "utf8").catch((e: NodeJS.ErrnoException) => {
      throw new ConfigError(
        `--directory ${opts.directory}: ${e.code === "ENOENT" ? "no such file" : e.message}`,
      );
    });
    const parsed = parseDirectory(text);
    if (!parsed.ok) {
      if (opts.json)
        printJson(o, {
          ok: false,
          error: { code: "config", message: `--directory ${opts.directory} is not a valid directory file` },
          results: [{ path: opts.directory, ok: false, errors: parsed.errors }],
        });
      else
        for (const e of parsed.errors) o.err(formatFileError(opts.directory, e, (c) => paint(o, "red", c)));
      return EXIT.usage;
    }
    directory = parsed.value;
  }
  const since = new Date(opts.now.getTime() - minutes * 60_000);
  const local = await readLocalImpactHistory(opts.root, { since, ...(opts.base ? { base: opts.base } : {}) });
  const head = prepareBase(await readRepoBase(opts.root));
  const report = await reportPolicyImpact(
    { history: async () => ({ ...local, users: [] }), directory: async () => directory },
    prepareBase(local.baseFiles),
    head,
  );
  const status =
    report.policyErrors || report.changed > 0 || report.workloads.length > 0 ? EXIT.findings : EXIT.ok;
  if (opts.json) o.out(renderImpactJson(report));
  else printText(report, local.against, o);
  return status;
}

function printText(report: ImpactReport, against: string, o: Output): void {
  o.out(paint(o, "bold", `${report.headline} (policies/ against ${against})`));
  for (const e of report.policyErrors ?? []) o.out(`  ${e}`);
  if (report.policyErrors) return;
  for (const l of coverageLines(report)) o.out(paint(o, "dim", l));
  for (const r of report.requests) {
    o.out(
      `${requestLabel(r)} ${r.request} (${r.entitlement ?? "?"}, ${r.author || "requester unknown"}): ${r.before.summary} → ${paint(o, r.after.decision === "denied" || r.after.decision === "invalid" ? "red" : "yellow", r.after.summary)}`,
    );
    for (const w of r.why) o.out(`  - ${w}`);
  }
  for (const w of report.workloads) {
    o.out(`workload ${w.workload} ${w.change} ${w.cloud} ${w.target}`);
    for (const y of w.why) o.out(`  - ${y}`);
  }
  for (const t of report.trust) o.out(`trust: ${t}`);
}
