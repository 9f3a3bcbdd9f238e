type Requirement = (labels: Record<string, string>) => boolean;

/** Splits on commas outside parentheses. */
function terms(selector: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = "";
  for (const ch of selector) {
    if (ch === "(") depth++;
    if (ch === ")") depth--;
    if (ch === "," && depth === 0) {
      out.push(cur);
      cur = "";
    } else cur += ch;
  }
  out.push(cur);
  return out.map((t) => t.trim()).filter((t) => t !== "");
}

function requirement(term: string): Requirement | string {
  let m: RegExpExecArray | null;
  if ((m = /^([\w./-]+)\s+(in|notin)\s+\(([^)]*)\)$/.exec(term))) {
    const key = m[1] ?? "";
    const values = (m[3] ?? "").split(",").map((v) => v.trim());
    return m[2] === "in" ? (l) => values.includes(l[key] ?? "\0") : (l) => !values.includes(l[key] ?? "\0");
  }
  if ((m = /^([\w./-]+)\s*(==|=|!=)\s*([\w.-]*)$/.exec(term))) {
    const [key, op, value] = [m[1] ?? "", m[2], m[3] ?? ""];
    return op === "!=" ? (l) => l[key] !== value : (l) => l[key] === value;
  }
  if ((m = /^!([\w./-]+)$/.exec(term))) {
    const key = m[1] ?? "";
    return (l) => !(key in l);
  }
  if (/^[\w./-]+$/.test(term)) return (l) => term in l;
  return `unable to parse requirement: "${term}"`;
}

/**
 * Compiles a label selector (`a=b,c!=d,e in (f,g),!h`) into a predicate, or an error message.
 * Syntax: https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors
 */
export function compileLabelSelector(
  selector: string,
): ((labels: Record<string, string>) => boolean) | string {
  const reqs: Requirement[] = [];
  for (const t of terms(selector)) {
    const r = requirement(t);
    if (typeof r === "string") return r;
    reqs.push(r);
  }
  return (labels) => reqs.every((r) => r(labels));
}
