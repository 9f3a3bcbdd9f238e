// Bundles bench/fuzz.ts from the TypeScript sources into a temporary folder (not dist/, which
// `npm run build` owns) and runs it, passing the arguments through: npm run fuzz -- --count 10000
import { build } from "esbuild";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const dir = mkdtempSync(join(tmpdir(), "jitops-fuzz-"));
try {
  const outfile = join(dir, "fuzz.mjs");
  await build({
    entryPoints: ["bench/fuzz.ts"],
    bundle: true,
    format: "esm",
    platform: "node",
    target: "node20",
    outfile,
    logLevel: "warning",
    // Bundled CommonJS dependencies call require(); give the ESM output one.
    banner: {
      js: "import { createRequire as __jitopsRequire } from 'node:module'; const require = __jitopsRequire(import.meta.url);",
    },
  });
  const run = spawnSync(process.execPath, [outfile, ...process.argv.slice(2)], { stdio: "inherit" });
  process.exitCode = run.status ?? 1;
} finally {
  rmSync(dir, { recursive: true, force: true });
}
