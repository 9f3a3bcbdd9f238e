// Generates the schema validators, then bundles the CLI, the bench and the action into dist/.
import { build } from "esbuild";
import { execFileSync } from "node:child_process";
import { rmSync } from "node:fs";

execFileSync(process.execPath, ["scripts/gen-validators.mjs"], { stdio: "inherit" });
rmSync("dist", { recursive: true, force: true });

const common = {
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20",
  outdir: "dist",
  chunkNames: "chunks/[name]-[hash]",
  legalComments: "none",
  minify: true,
  logLevel: "warning",
  // Bundled CommonJS dependencies call require() and read __dirname; give the ESM output both.
  banner: {
    js: [
      "import { createRequire as __jitopsRequire } from 'node:module';",
      "import { fileURLToPath as __jitopsPath } from 'node:url';",
      "const require = __jitopsRequire(import.meta.url);",
      "const __filename = __jitopsPath(import.meta.url);",
      "const __dirname = __jitopsPath(new URL('.', import.meta.url));",
    ].join(" "),
  },
};

// The CLI loads each command on demand (start-up stays small). Cloud SDKs read data files from
// their own package folders, so they stay in node_modules (they are dependencies of the package).
await build({
  ...common,
  entryPoints: { cli: "cli/index.ts", bench: "bench/index.ts", bot: "bot/main.ts" },
  external: [
    "@cedar-policy/cedar-wasm",
    "@cedar-policy/cedar-wasm/*",
    "@google-cloud/*",
    "google-gax",
    "google-auth-library",
    "@azure/*",
    "@kubernetes/client-node",
    "probot",
  ],
});

// The action runs without node_modules: everything it uses is bundled.
await build({ ...common, entryPoints: { "action-main": "action/main.ts", "action-post": "action/post.ts" } });
console.log("built dist/");
