import { requestLabel } from "./impact-headline.js";
import type { ImpactReport } from "./impact-report.js";

/** The heading of the check run section. */
export const IMPACT_HEADING = "Impact of this policy change";

/** GitHub refuses a check run summary above 65,535 characters; leave room for the rest of it. */
export const MAX_IMPACT_MARKDOWN = 30_000;

/** Text from request files and policy is shown, never interpreted: no table breaks, no HTML. */
function cell(s: string): string {
  return s
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/\|/g, "\\|")
    .replace(/\r?\n/g, " ");
}

/** What the replay covered, and what it could not know. */
export function coverageLines(report: ImpactReport): string[] {
  const c = report.coverage;
  const lines = [
    `Replayed ${report.replayed} request${report.replayed === 1 ? "" : "s"}: ${report.merged} merged${c.since ? ` since ${c.since.slice(0, 10)}` : ""}, ${c.openPulls ? `${report.open} in open pull requests` : "open pull requests not visible here"}.`,
  ];
  if (c.partial) lines.push(`Partial: ${c.partial.message}.`);
  if (!c.reviews)
    lines.push(
      "Reviews are not known here: each request is judged by the approvals it would need, not pass or fail (the bot's check run replays with the reviews).",
    );
  if (!c.directory)
    lines.push("Team membership is not known here: eligibility through a team is reported by team name.");
  for (const n of c.notes ?? []) lines.push(n);
  return lines;
}

/**
 * The report as a Markdown section for a check run: heading, headline, coverage, then collapsed
 * tables of the requests and workloads that change. Rows are cut to stay under `maxChars`.
 */
export function renderImpactMarkdown(report: ImpactReport, maxChars = MAX_IMPACT_MARKDOWN): string {
  for (let rows = Math.max(report.requests.length, report.workloads.length, report.trust.length); ;) {
    const text = render(report, rows);
    if (text.length <= maxChars || rows === 0) return text;
    rows = Math.floor(rows / 2);
  }
}

function render(report: ImpactReport, rows: number): string {
  const out = [`### ${IMPACT_HEADING}`, "", `**${cell(report.headline)}**`, ""];
  if (report.policyErrors) {
    out.push(...report.policyErrors.slice(0, rows).map((e) => `- ${cell(e)}`));
    return out.join("\n");
  }
  out.push(coverageLines(report).map(cell).join("<br>"), "");
  const more = (n: number) =>
    n > rows ? [`…and ${n - rows} more (jitops impact --json lists every one).`, ""] : [];
  if (report.requests.length > 0) {
    out.push(
      `<details><summary>${report.changed} request${report.changed === 1 ? "" : "s"} would fare differently</summary>`,
      "",
      "| request | entitlement | requester | under the base policy | under this policy | why |",
      "|---|---|---|---|---|---|",
      ...report.requests
        .slice(0, rows)
        .map(
          (r) =>
            `| ${cell(`${requestLabel(r)} ${r.pr !== undefined ? r.request : ""}`.trim())} (${r.state}) | ${cell(r.entitlement ?? "?")} | ${cell(r.author || "unknown")} | ${cell(r.before.summary)} | ${cell(r.after.summary)} | ${r.why.map(cell).join("<br>")} |`,
        ),
      "",
      ...more(report.requests.length),
      "</details>",
      "",
    );
  }
  if (report.workloads.length > 0) {
    out.push(
      `<details><summary>${report.workloads.length} workload credential${report.workloads.length === 1 ? "" : "s"} change</summary>`,
      "",
      "| workload | cloud | identity | change | holder | why |",
      "|---|---|---|---|---|---|",
      ...report.workloads
        .slice(0, rows)
        .map(
          (w) =>
            `| ${cell(w.workload)} | ${w.cloud} | ${cell(w.target)} | ${w.change} | ${cell(w.who)} | ${w.why.map(cell).join("<br>")} |`,
        ),
      "",
      ...more(report.workloads.length),
      "</details>",
      "",
    );
  }
  if (report.trust.length > 0) {
    out.push(
      `<details><summary>What jitops apply would change in the clouds' trust (${report.trust.length})</summary>`,
      "",
      ...report.trust.slice(0, rows).map((t) => `- ${cell(t)}`),
      "",
      ...more(report.trust.length),
      "</details>",
      "",
    );
  }
  return out.join("\n").trimEnd();
}
