import type { ActivityRecord } from "./activity-record.js";

/** Most detail lines rendered per record: a revert PR comment must stay under GitHub's 65,536 characters. */
export const MAX_DETAIL_LINES = 200;

const cell = (s: string) => s.replace(/\|/g, "\\|").replace(/\n/g, " ");
const code = (s: string) => `\`${s.replace(/`/g, "'")}\``;

function subjectOf(r: ActivityRecord): string {
  const s = r.window.subject;
  return s.kind === "grant" ? `request ${code(s.request)}` : `workload ${code(s.workload)}`;
}

/** One line: who, where, how many calls (or that nobody used the access). */
export function activityHeadline(r: ActivityRecord): string {
  const w = r.window;
  const who = `${subjectOf(r)} (${w.provider}, ${code(w.principal)})`;
  if (!r.sources.some((s) => s.available))
    return `${who}: activity unknown, no log could be read (${r.sources.map((s) => s.note).join("; ")})`;
  if (r.noActivity) return `${who}: **no activity** from ${w.start} to ${w.end}: standing access nobody used`;
  return `${who}: ${r.calls} call${r.calls === 1 ? "" : "s"}${r.denied ? ` (${r.denied} denied)` : ""}, first ${r.first ?? "?"}, last ${r.last ?? "?"}; ${r.permissions.length} permission${r.permissions.length === 1 ? "" : "s"} exercised`;
}

/**
 * Markdown for a revert PR or a post-incident review: a summary table of calls by service, method and
 * resource, then every call and the logs read in a collapsed `<details>`.
 */
export function renderActivityMarkdown(records: readonly ActivityRecord[]): string {
  const out: string[] = ["### Activity during the grant", ""];
  for (const r of records) {
    out.push(activityHeadline(r), "");
    if (!r.noActivity) {
      out.push("| service | method | resource | calls | denied |", "|---|---|---|---:|---:|");
      for (const g of r.groups)
        out.push(
          `| ${cell(g.service)} | ${cell(g.method)} | ${cell(g.resource)} | ${g.calls} | ${g.denied} |`,
        );
      out.push("");
    }
    out.push("<details><summary>Calls, permissions and logs read</summary>", "");
    for (const s of r.sources) out.push(`- ${s.log}: ${s.available ? "read" : "not available"}; ${s.note}`);
    if (r.permissions.length > 0) out.push(`- permissions exercised: ${r.permissions.map(code).join(", ")}`);
    if (r.deniedPermissions.length > 0)
      out.push(`- permissions refused: ${r.deniedPermissions.map(code).join(", ")}`);
    out.push("");
    for (const e of r.entries.slice(0, MAX_DETAIL_LINES))
      out.push(
        `- ${e.time} ${code(e.method)} on ${code(e.resource)}${e.denied ? " **denied**" : ""}${e.onBehalfOf ? ` (by ${e.onBehalfOf})` : ""}`,
      );
    if (r.entries.length > MAX_DETAIL_LINES) out.push(`- … and ${r.entries.length - MAX_DETAIL_LINES} more`);
    out.push("", "</details>", "");
  }
  return out.join("\n");
}

/** Plain lines for a terminal (`jitops activity`). */
export function renderActivityLines(records: readonly ActivityRecord[]): string[] {
  const out: string[] = [];
  for (const r of records) {
    out.push(activityHeadline(r).replace(/\*\*|`/g, ""));
    for (const s of r.sources) out.push(`  ${s.log}: ${s.available ? "read" : "not available"} (${s.note})`);
    for (const g of r.groups)
      out.push(
        `  ${g.calls}× ${g.service} ${g.method} ${g.resource}${g.denied ? ` (${g.denied} denied)` : ""}`,
      );
  }
  return out;
}
