// Generates the schema validators, then bundles the CLI, the action and the bench into dist/.
import { build } from "esbuild";
import { execFileSync } from "node:child_process";

execFileSync(process.execPath, ["scripts/gen-validators.mjs"], { stdio: "inherit" });
await build({
  entryPoints: {
    cli: "cli/index.ts",
    "action-main": "action/main.ts",
    "action-post": "action/post.ts",
    bench: "bench/index.ts",
  },
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20",
  outdir: "dist",
  chunkNames: "chunks/[name]-[hash]",
  legalComments: "none",
  logLevel: "warning",
  // Bundled CommonJS dependencies call require(); give ESM output one.
  banner: {
    js: "import { createRequire as __jitopsCreateRequire } from 'node:module'; const require = __jitopsCreateRequire(import.meta.url);",
  },
  external: ["@cedar-policy/cedar-wasm", "@cedar-policy/cedar-wasm/*"],
});
console.log("built dist/");
