import js from "@eslint/js";
import tseslint from "typescript-eslint";
import { layerBoundaries } from "./eslint-rules/layer-boundaries.js";

export default tseslint.config(
  { ignores: ["dist/", "node_modules/", "core/generated/", "coverage/"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_" }],
    },
  },
  {
    files: ["**/*.ts"],
    plugins: { jitops: { rules: { "layer-boundaries": layerBoundaries } } },
    rules: { "jitops/layer-boundaries": "error" },
  },
  {
    files: ["**/*.cjs"],
    languageOptions: {
      sourceType: "commonjs",
      globals: { require: "readonly", module: "writable", process: "readonly" },
    },
    rules: { "@typescript-eslint/no-require-imports": "off" },
  },
  {
    files: ["**/*.js", "**/*.mjs"],
    languageOptions: { globals: { process: "readonly", console: "readonly", URL: "readonly" } },
  },
);
