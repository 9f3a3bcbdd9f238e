/** Where a command writes; injected so tests can capture output. */
export interface Output {
  out(text: string): void;
  err(text: string): void;
  color: boolean;
}

/** The process's stdout/stderr, with colour only on a TTY and never when NO_COLOR is set. */
export function processOutput(): Output {
  return {
    out: (t) => process.stdout.write(`${t}\n`),
    err: (t) => process.stderr.write(`${t}\n`),
    color: Boolean(process.stdout.isTTY) && !process.env.NO_COLOR,
  };
}

/** Wraps text in an ANSI colour when colour is on. */
export function paint(o: Output, color: "red" | "green" | "yellow" | "dim" | "bold", text: string): string {
  if (!o.color) return text;
  const codes = { red: 31, green: 32, yellow: 33, dim: 2, bold: 1 } as const;
  return `\u001b[${codes[color]}m${text}\u001b[0m`;
}
