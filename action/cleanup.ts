import { rm } from "node:fs/promises";
import type { ActionIO } from "./action-io.js";

/** State key under which main records every file it wrote, as a JSON list of paths. */
export const WRITTEN_FILES = "written-files";

/** The post step: removes every file main recorded; missing files are fine. */
export async function cleanup(io: ActionIO): Promise<void> {
  const raw = io.getState(WRITTEN_FILES);
  const files = raw ? (JSON.parse(raw) as string[]) : [];
  await Promise.all(files.map((f) => rm(f, { force: true })));
  if (files.length > 0)
    io.info(`removed ${files.length} file${files.length === 1 ? "" : "s"} written by main`);
}
