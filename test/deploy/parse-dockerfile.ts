/** One instruction of a Dockerfile: its keyword and the rest of the line (continuations joined). */
export interface Instruction {
  keyword: string;
  args: string;
  line: number;
}

/** One stage: its base image, its name (`AS name`) and its instructions after FROM. */
export interface Stage {
  from: string;
  name: string | undefined;
  instructions: Instruction[];
}

/**
 * Splits a Dockerfile into stages of instructions. Enough of the format for the project's own
 * Dockerfile (comments, `\` continuations, `FROM image AS name`); a parser directive or heredoc
 * it does not know is an error rather than a silent misreading.
 */
export function parseDockerfile(text: string): Stage[] {
  const stages: Stage[] = [];
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const start = i + 1;
    let line = lines[i]!;
    if (/^\s*(#|$)/.test(line)) continue;
    while (/\\\s*$/.test(line) && i + 1 < lines.length)
      line = line.replace(/\\\s*$/, " ") + lines[++i]!.trim();
    const m = /^\s*([A-Za-z]+)\s+(.*)$/.exec(line);
    if (!m) throw new Error(`Dockerfile line ${start}: cannot read "${line}"`);
    const keyword = m[1]!.toUpperCase();
    const args = m[2]!.trim();
    if (args.includes("<<")) throw new Error(`Dockerfile line ${start}: heredocs are not supported here`);
    if (keyword === "FROM") {
      const f = /^(\S+)(?:\s+AS\s+(\S+))?$/i.exec(args);
      if (!f) throw new Error(`Dockerfile line ${start}: cannot read FROM "${args}"`);
      stages.push({ from: f[1]!, name: f[2], instructions: [] });
      continue;
    }
    const stage = stages.at(-1);
    if (!stage) throw new Error(`Dockerfile line ${start}: ${keyword} before the first FROM`);
    stage.instructions.push({ keyword, args, line: start });
  }
  return stages;
}

/** `KEY=value` pairs of an ENV instruction (quotes removed; the old `ENV KEY value` form too). */
export function envPairs(args: string): Record<string, string> {
  const out: Record<string, string> = {};
  if (!args.includes("=")) {
    const [k, ...v] = args.split(/\s+/);
    out[k!] = v.join(" ");
    return out;
  }
  for (const m of args.matchAll(/([A-Za-z_][A-Za-z0-9_]*)=("([^"]*)"|(\S*))/g))
    out[m[1]!] = m[3] ?? m[4] ?? "";
  return out;
}

/** The sources, destination and `--from` stage of a COPY instruction. */
export function copyArgs(args: string): { from: string | undefined; sources: string[]; dest: string } {
  const words = args.split(/\s+/);
  const flags = words.filter((w) => w.startsWith("--"));
  const paths = words.filter((w) => !w.startsWith("--"));
  const unknown = flags.filter((f) => !/^--(from|chown|chmod|link)(=|$)/.test(f));
  if (unknown.length > 0) throw new Error(`COPY ${args}: unknown flags ${unknown.join(" ")}`);
  const from = flags.find((f) => f.startsWith("--from="))?.slice("--from=".length);
  return { from, sources: paths.slice(0, -1), dest: paths.at(-1)! };
}
