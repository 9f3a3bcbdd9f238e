// A local ESLint rule that makes DESIGN's import rules structural: product code never imports the
// simulators, and the simulators import nothing from the product (shared code would share bugs).
// Only the CLI's demo (and bench and tests, which are not product code) may start the simulators.
import { dirname, relative, resolve, sep } from "node:path";

const PRODUCT = [
  "core",
  "app",
  "github",
  "grants",
  "providers",
  "tree",
  "action",
  "bot",
  "cli",
  "notify",
  "activity",
];
const SIM = "sim";
/** Product folders allowed to import the simulators: `jitops demo` runs the lifecycle on them. */
const MAY_USE_SIM = ["cli/demo"];

const topOf = (rel) => rel.split(sep)[0];
const within = (rel, dir) => rel === dir || rel.startsWith(dir + sep);

/** @type {import("eslint").Rule.RuleModule} */
export const layerBoundaries = {
  meta: {
    type: "problem",
    docs: { description: "keep product code and the simulators apart (DESIGN.md, architecture)" },
    messages: {
      productImportsSim:
        "product code ({{file}}) imports the simulators ({{target}}); only cli/demo, bench and tests may",
      simImportsProduct:
        "the simulators ({{file}}) import product code ({{target}}); a simulator must judge the product, not share its code",
    },
    schema: [{ type: "object", properties: { root: { type: "string" } }, additionalProperties: false }],
  },
  create(context) {
    const root = context.options[0]?.root ?? context.cwd;
    const file = relative(root, context.filename);
    const fileTop = topOf(file);
    const check = (node, source) => {
      if (typeof source !== "string" || !source.startsWith(".")) return;
      const target = relative(root, resolve(dirname(context.filename), source));
      const targetTop = topOf(target);
      if (fileTop === SIM && PRODUCT.includes(targetTop))
        context.report({ node, messageId: "simImportsProduct", data: { file, target } });
      if (PRODUCT.includes(fileTop) && targetTop === SIM && !MAY_USE_SIM.some((d) => within(file, d)))
        context.report({ node, messageId: "productImportsSim", data: { file, target } });
    };
    return {
      ImportDeclaration: (n) => check(n, n.source.value),
      ExportNamedDeclaration: (n) => n.source && check(n, n.source.value),
      ExportAllDeclaration: (n) => check(n, n.source.value),
      ImportExpression: (n) => n.source.type === "Literal" && check(n, n.source.value),
    };
  },
};
