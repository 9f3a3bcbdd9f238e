// A local ESLint rule that makes DESIGN's import rules structural: product code never imports the
// simulators, and the simulators import nothing from the product (shared code would share bugs).
// The simulators are the workspace package @jitops/sim (sim/); only the CLI's demo, bench and the
// tests may depend on it, whether by its name or by a relative path into sim/.
import { dirname, relative, resolve, sep } from "node:path";

const SIM = "sim";
const SIM_PACKAGE = "@jitops/sim";
/** The root package's name: the simulators must not reach the product through it either. */
const PRODUCT_PACKAGE = "jitops";
/** Folders allowed to import the simulators: `jitops demo` runs the lifecycle on them; bench and tests are not product. */
const MAY_USE_SIM = ["cli/demo", "bench", "test"];

/**
 * The inner layers import only inward (docs/architecture.md): the domain (core/) nothing but itself
 * and the schemas; the use cases (app/) the domain and their own ports, never an adapter or an
 * entry point (adapters implement app's ports, not the other way round).
 */
const MAY_IMPORT = { core: ["core", "schemas"], app: ["app", "core", "schemas"] };

const within = (rel, dir) => rel === dir || rel.startsWith(dir + sep);
/** `name` itself or one of its subpaths (`@jitops/sim/github`). */
const isPackage = (source, name) => source === name || source.startsWith(name + "/");

/** @type {import("eslint").Rule.RuleModule} */
export const layerBoundaries = {
  meta: {
    type: "problem",
    docs: { description: "keep product code and the simulators apart (DESIGN.md, architecture)" },
    messages: {
      productImportsSim: "{{file}} imports the simulators ({{target}}); only cli/demo, bench and tests may",
      outwardImport:
        "{{file}} is in {{layer}}/, which may import only {{allowed}}; it imports {{target}} (docs/architecture.md)",
      simImportsProduct:
        "the simulators ({{file}}) import {{target}} from outside the sim package; a simulator must judge the product, not share its code",
    },
    schema: [{ type: "object", properties: { root: { type: "string" } }, additionalProperties: false }],
  },
  create(context) {
    const root = context.options[0]?.root ?? context.cwd;
    const file = relative(root, context.filename);
    const inSim = within(file, SIM);
    const mayUseSim = inSim || MAY_USE_SIM.some((d) => within(file, d));
    const layer = Object.keys(MAY_IMPORT).find((l) => within(file, l));
    const check = (node, source) => {
      if (typeof source !== "string") return;
      const target = source.startsWith(".")
        ? relative(root, resolve(dirname(context.filename), source))
        : source;
      if (inSim && (source.startsWith(".") ? !within(target, SIM) : isPackage(source, PRODUCT_PACKAGE)))
        context.report({ node, messageId: "simImportsProduct", data: { file, target } });
      const toSim = source.startsWith(".") ? within(target, SIM) : isPackage(source, SIM_PACKAGE);
      if (toSim && !mayUseSim)
        context.report({ node, messageId: "productImportsSim", data: { file, target } });
      if (layer && !toSim && source.startsWith(".") && !MAY_IMPORT[layer].some((d) => within(target, d)))
        context.report({
          node,
          messageId: "outwardImport",
          data: { file, layer, allowed: MAY_IMPORT[layer].map((d) => `${d}/`).join(", "), target },
        });
    };
    return {
      ImportDeclaration: (n) => check(n, n.source.value),
      ExportNamedDeclaration: (n) => n.source && check(n, n.source.value),
      ExportAllDeclaration: (n) => check(n, n.source.value),
      ImportExpression: (n) => n.source.type === "Literal" && check(n, n.source.value),
    };
  },
};
