/** What a YAML example in the docs claims to be, from the `<!-- example: ... -->` comment before it. */
export type ExampleClaim =
  | { kind: "request"; valid: boolean; codes: string[]; path?: string }
  | { kind: "policy"; valid: boolean; codes: string[] }
  | { kind: "test-case"; valid: boolean; codes: string[] }
  | { kind: "workflow" }
  | { kind: "fragment"; why: string };

/** One fenced YAML block of a Markdown file, with its claim (undefined when it has no marker). */
export interface YamlExample {
  file: string;
  /** 1-based line of the opening fence. */
  line: number;
  yaml: string;
  claim: ExampleClaim | undefined;
  /** The marker as written, or why it could not be read. */
  marker: string;
}

const FENCE = /^(\s*)(```|~~~)\s*(yaml|yml)\s*$/;
const MARKER = /^<!--\s*example:\s*(.*?)\s*-->$/;

/**
 * Parses a marker: `valid request`, `invalid request CODE [CODE...]`, `policy`, `invalid policy CODE`,
 * `test-case`, `invalid test-case CODE`, `workflow`, `fragment: why`; `path=...` names a request's file.
 */
export function parseClaim(text: string): ExampleClaim | string {
  const frag = /^fragment\s*[:—-]\s*(.+)$/.exec(text);
  if (frag) return { kind: "fragment", why: frag[1]! };
  if (text === "fragment")
    return "a fragment needs a reason: <!-- example: fragment: why it is not a whole file -->";
  if (text === "workflow") return { kind: "workflow" };
  const words = text.split(/\s+/);
  const options = Object.fromEntries(
    words.filter((w) => w.includes("=")).map((w) => w.split("=", 2) as [string, string]),
  );
  const rest = words.filter((w) => !w.includes("="));
  let valid = true;
  if (rest[0] === "valid") rest.shift();
  else if (rest[0] === "invalid") {
    valid = false;
    rest.shift();
  }
  const [kind, ...codes] = rest;
  if (kind !== "request" && kind !== "policy" && kind !== "test-case")
    return `unknown example kind in "${text}"; accepted: [valid|invalid] request|policy|test-case, workflow, fragment: why`;
  if (!valid && codes.length === 0) return `"${text}" claims invalid but names no code`;
  if (valid && codes.length > 0) return `"${text}" names codes but does not say invalid`;
  if (kind === "request") return { kind, valid, codes, ...(options.path ? { path: options.path } : {}) };
  return { kind, valid, codes };
}

/** Every fenced YAML block of a Markdown text, with the marker on the nearest non-blank line above it. */
export function yamlExamples(file: string, markdown: string): YamlExample[] {
  const lines = markdown.split("\n");
  const out: YamlExample[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = FENCE.exec(lines[i]!);
    if (!open) continue;
    const indent = open[1]!.length;
    const close = lines.findIndex((l, j) => j > i && l.trim() === open[2]);
    const end = close === -1 ? lines.length : close;
    const yaml = lines
      .slice(i + 1, end)
      .map((l) => l.slice(Math.min(indent, l.length - l.trimStart().length)))
      .join("\n");
    let k = i - 1;
    while (k >= 0 && lines[k]!.trim() === "") k--;
    const m = k >= 0 ? MARKER.exec(lines[k]!.trim()) : null;
    const parsed = m ? parseClaim(m[1]!) : "no <!-- example: ... --> marker before the block";
    out.push({
      file,
      line: i + 1,
      yaml: `${yaml}\n`,
      claim: typeof parsed === "string" ? undefined : parsed,
      marker: typeof parsed === "string" ? parsed : m![1]!,
    });
    i = end;
  }
  return out;
}
