/** A parsed time-bound condition: access while `notBefore <= request.time < notAfter`. */
export interface TimeCondition {
  notAfter: Date;
  notBefore?: Date;
}

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;
const TERM = /^request\.time\s*(<|>=)\s*timestamp\(\s*(?:"([^"]*)"|'([^']*)')\s*\)$/;

function parseTerm(term: string): { op: "<" | ">="; at: Date } | string {
  const m = TERM.exec(term.trim());
  if (!m)
    return `unsupported term "${term.trim()}"; accepted: request.time < timestamp("RFC3339") and request.time >= timestamp("RFC3339")`;
  const text = m[2] ?? m[3] ?? "";
  if (!RFC3339.test(text)) return `invalid timestamp "${text}"; expected RFC 3339, e.g. 2026-11-24T18:00:00Z`;
  const at = new Date(text);
  if (Number.isNaN(at.getTime())) return `invalid timestamp "${text}"`;
  return { op: m[1] as "<" | ">=", at };
}

/**
 * Parses the CEL subset the simulator understands: `request.time < timestamp("…")`, optionally `&&`
 * `request.time >= timestamp("…")` in either order. Returns an error message for anything else.
 * Syntax per https://cloud.google.com/iam/docs/conditions-attribute-reference#request-time
 */
export function parseTimeCondition(expression: string): TimeCondition | string {
  const terms = expression.split("&&");
  if (terms.length > 2) return "at most two terms joined by && are supported";
  let notAfter: Date | undefined;
  let notBefore: Date | undefined;
  for (const t of terms) {
    const parsed = parseTerm(t);
    if (typeof parsed === "string") return parsed;
    if (parsed.op === "<") {
      if (notAfter) return "two upper bounds (request.time <)";
      notAfter = parsed.at;
    } else {
      if (notBefore) return "two lower bounds (request.time >=)";
      notBefore = parsed.at;
    }
  }
  if (!notAfter) return 'an upper bound request.time < timestamp("…") is required';
  return notBefore ? { notAfter, notBefore } : { notAfter };
}

/** True when the condition grants access at `at`. */
export function conditionHolds(c: TimeCondition, at: Date): boolean {
  const t = at.getTime();
  return t < c.notAfter.getTime() && (c.notBefore === undefined || t >= c.notBefore.getTime());
}
