import * as core from "@actions/core";
import { tmpdir } from "node:os";
import type { Env } from "../core/env.js";

/** What the action needs from the runner; an interface so tests pass a recorder. */
export interface ActionIO {
  input(name: string): string;
  setOutput(name: string, value: string): void;
  annotate(
    level: "error" | "warning" | "notice",
    message: string,
    where: { file: string; line: number; column: number; title: string },
  ): void;
  summary(markdownTable: { heading: string; rows: string[][]; text: string }): Promise<void>;
  info(message: string): void;
  setFailed(message: string): void;
  saveState(name: string, value: string): void;
  getState(name: string): string;
  /** The job's OIDC token for `audience` (needs `permissions: id-token: write`). */
  idToken(audience: string): Promise<string>;
  /** Masks a value in every later log line. */
  setSecret(value: string): void;
  exportVariable(name: string, value: string): void;
  /** Where files main writes go (the runner's temp folder, outside the workspace). */
  tempDir(): string;
}

/** The real runner, through @actions/core; `env` is the process's (RUNNER_TEMP). */
export function actionsCoreIO(env: Env): ActionIO {
  return {
    input: (name) => core.getInput(name),
    setOutput: (name, value) => core.setOutput(name, value),
    annotate: (level, message, w) => {
      const props = { file: w.file, startLine: w.line, startColumn: w.column, title: w.title };
      if (level === "error") core.error(message, props);
      else if (level === "warning") core.warning(message, props);
      else core.notice(message, props);
    },
    summary: async ({ heading, rows, text }) => {
      const [head, ...body] = rows;
      const s = core.summary.addHeading(heading, 2).addRaw(text, true);
      if (head) s.addTable([head.map((h) => ({ data: h, header: true })), ...body]);
      await s.write();
    },
    info: (m) => core.info(m),
    setFailed: (m) => core.setFailed(m),
    saveState: (n, v) => core.saveState(n, v),
    getState: (n) => core.getState(n),
    idToken: (audience) => core.getIDToken(audience),
    setSecret: (v) => core.setSecret(v),
    exportVariable: (n, v) => core.exportVariable(n, v),
    tempDir: () => env.RUNNER_TEMP ?? tmpdir(),
  };
}
