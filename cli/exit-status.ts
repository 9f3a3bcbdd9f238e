/**
 * Exit statuses, the same for every command (and, as pass or fail, the Action): 0 ok; 1 findings
 * (invalid files, failed policy tests, drift); 2 usage or configuration error; 3 a runtime failure.
 */
export const EXIT = { ok: 0, findings: 1, usage: 2, runtime: 3 } as const;

/** What 0 and 1 mean for one command; 2 and 3 mean the same for all. */
export interface ExitMeanings {
  ok: string;
  findings?: string;
}

/** The "Exit status" section of a command's help. */
export function exitStatusHelp(m: ExitMeanings): string[] {
  return [
    "Exit status:",
    `  0  ${m.ok}`,
    ...(m.findings ? [`  1  ${m.findings}`] : []),
    "  2  usage or configuration error: a bad option or argument, no policies/ folder found",
    "  3  runtime failure: GitHub, a cloud, the network or the file system failed",
  ];
}
