import { describeGrant } from "../describe-request.js";
import type { Plan } from "./diff-bindings.js";

/** "in 3h 59m" / "2h ago": a duration relative to now, for humans. */
export function relative(iso: string, now: Date): string {
  const ms = Date.parse(iso) - now.getTime();
  const mins = Math.round(Math.abs(ms) / 60_000);
  const d = Math.floor(mins / 1440);
  const h = Math.floor((mins % 1440) / 60);
  const m = mins % 60;
  const text = [d ? `${d}d` : "", h ? `${h}h` : "", m || (!d && !h) ? `${m}m` : ""].filter(Boolean).join(" ");
  return ms >= 0 ? `in ${text}` : `${text} ago`;
}

/** The plan as a markdown table: who, role, where, until when (UTC and relative). */
export function renderPlan(plan: Plan, now: Date): string {
  const rows: string[] = [];
  for (const [action, list] of [
    ["grant", plan.add],
    ["extend", plan.update],
    ["expired", plan.expired],
  ] as const) {
    for (const b of list) {
      rows.push(
        `| ${action} | ${b.login} (\`${b.principal}\`) | ${describeGrant(b.grant)} | ${b.notAfter.replace(".000Z", "Z")} (${relative(b.notAfter, now)}) |`,
      );
    }
  }
  for (const a of plan.remove) rows.push(`| remove | \`${a.principal}\` | ${a.id} | - |`);
  if (rows.length === 0) return "Nothing to change: the cloud matches Git.";
  return ["| action | who | role and where | until (UTC) |", "|---|---|---|---|", ...rows].join("\n");
}
