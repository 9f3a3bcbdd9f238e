import type { ImpactReport } from "./impact-report.js";

/** The report as one JSON document (`jitops impact --json`): `ok` first, then the report's fields. */
export function renderImpactJson(report: ImpactReport): string {
  return JSON.stringify({ ok: !report.policyErrors, ...report });
}
