import type { Decision, DecisionKind, RuleResult } from "./evaluate/decision.js";

/** Name of the check run the bot writes; branch protection requires it. */
export const CHECK_NAME = "jitops/approval";

/** A check run's conclusion and output, as GitHub takes them. */
export interface CheckOutput {
  conclusion: "success" | "action_required" | "failure";
  title: string;
  summary: string;
}

const CONCLUSION: Record<DecisionKind, CheckOutput["conclusion"]> = {
  approved: "success",
  pending: "action_required",
  denied: "failure",
  invalid: "failure",
};

const NEXT: Record<DecisionKind, string> = {
  approved: "Ready to merge. On merge the grants are applied with a provider-enforced expiry.",
  pending: "Waiting for approvals on the head commit from the people listed under *Who can approve*.",
  denied: "This pull request cannot be approved as it stands; see the reasons above.",
  invalid: "Fix the errors listed above; the jitops Action annotates them at their lines.",
};

function cell(s: string): string {
  return s.replace(/\|/g, "\\|").replace(/\n/g, " ");
}

function ruleRows(prefix: string, rules: RuleResult[]): string[] {
  return rules.map((r) => {
    const who = [...r.candidates.teams.map((t) => `@${t}`), ...r.candidates.users.map((u) => `@${u}`)].join(
      ", ",
    );
    return `| ${cell(prefix)} | ${cell(r.name)} | ${r.need} | ${r.have} | ${cell(r.approvers.join(", ") || "-")} | ${cell(who || "-")} |`;
  });
}

/**
 * The CODEOWNERS lines GitHub skips, once each, from every rule that read code owners. They change
 * no decision (GitHub ignores them too), but whoever wrote them expected them to own something.
 */
function skippedCodeowners(rules: RuleResult[]): string[] {
  const seen = new Set<string>();
  const lines: string[] = [];
  for (const r of rules) {
    if (!r.codeowners) continue;
    for (const e of r.codeowners.skipped) {
      const where = `${r.codeowners.path}:${e.line}:${e.column}`;
      if (seen.has(where)) continue;
      seen.add(where);
      lines.push(`- \`${where}\` ${e.code}: ${e.message}`);
    }
  }
  return lines;
}

/** Renders a decision as the `jitops/approval` check run: conclusion, title and a markdown summary. */
export function renderCheck(d: Decision, head: string): CheckOutput {
  const titles: Record<DecisionKind, string> = {
    approved: "Approved",
    pending: "Approval pending",
    denied: "Denied",
    invalid: "Invalid request or policy",
  };
  const rows = [
    ...d.requests.flatMap((r) => ruleRows(r.name ?? r.path, r.rules)),
    ...ruleRows(d.certification ? "certification" : "policy change", d.policy?.rules ?? []),
  ];
  const lines = [
    `**Decision: ${d.decision}** on \`${head.slice(0, 12)}\``,
    "",
    ...d.reasons.map((r) => `- ${cell(r)}`),
    ...(d.warnings ?? []).map((w) => `- **Warning:** ${cell(w)}`),
  ];
  if (rows.length > 0) {
    lines.push(
      "",
      "| request | rule | needed | have | approved by | who can approve |",
      "|---|---|---|---|---|---|",
      ...rows,
    );
  }
  const skipped = skippedCodeowners([...d.requests.flatMap((r) => r.rules), ...(d.policy?.rules ?? [])]);
  if (skipped.length > 0) {
    lines.push(
      "",
      "**CODEOWNERS lines GitHub skips:** they make no one a code owner, on GitHub or here; fix them so they own what was meant.",
      "",
      ...skipped,
    );
  }
  lines.push("", `**Next:** ${NEXT[d.decision]}`);
  return {
    conclusion: CONCLUSION[d.decision],
    title: titles[d.decision],
    summary: lines.join("\n").slice(0, 65000),
  };
}
