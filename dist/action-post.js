import { createRequire as __jitopsCreateRequire } from 'node:module'; const require = __jitopsCreateRequire(import.meta.url);
import {
  actionsCoreIO
} from "./chunks/chunk-ADY7QPAF.js";
import "./chunks/chunk-QSV4CKXI.js";

// action/cleanup.ts
import { rm } from "node:fs/promises";
var WRITTEN_FILES = "written-files";
async function cleanup(io) {
  const raw = io.getState(WRITTEN_FILES);
  const files = raw ? JSON.parse(raw) : [];
  await Promise.all(files.map((f) => rm(f, { force: true })));
  if (files.length > 0)
    io.info(`removed ${files.length} file${files.length === 1 ? "" : "s"} written by main`);
}

// action/post.ts
await cleanup(actionsCoreIO());
