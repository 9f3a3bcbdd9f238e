import { ESLint } from "eslint";
import { join } from "node:path";

// Lints snippets as if they were files of the project, with the project's own configuration.
const root = join(import.meta.dirname, "..", "..");
const eslint = new ESLint({ cwd: root });

async function messagesFor(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: join(root, file) });
  return result!.messages.filter((m) => m.ruleId === "jitops/layer-boundaries").map((m) => m.message);
}

describe("layer boundaries (eslint jitops/layer-boundaries)", () => {
  it("fails a product file that imports the simulators", async () => {
    expect(
      await messagesFor("core/x.ts", 'import { startGitHubSim } from "../sim/github/index.js";\n'),
    ).toEqual([
      "product code (core/x.ts) imports the simulators (sim/github/index.js); only cli/demo, bench and tests may",
    ]);
    expect(await messagesFor("github/x.ts", 'export * from "../sim/shared/json-reply.js";\n')).toHaveLength(
      1,
    );
    expect(
      await messagesFor("bot/x.ts", 'const m = await import("../sim/cloud/index.js");\nexport { m };\n'),
    ).toHaveLength(1);
  });

  it("fails a simulator file that imports product code", async () => {
    expect(
      await messagesFor("sim/github/x.ts", 'import { parseYaml } from "../../core/yaml/parse-yaml.js";\n'),
    ).toEqual([
      "the simulators (sim/github/x.ts) import product code (core/yaml/parse-yaml.js); a simulator must judge the product, not share its code",
    ]);
  });

  it("allows the demo, bench, tests and imports inside a layer", async () => {
    expect(
      await messagesFor("cli/demo/x.ts", 'import { startGitHubSim } from "@jitops/sim/github";\n'),
    ).toEqual([]);
    expect(
      await messagesFor("bench/x.ts", 'import { startGitHubSim } from "../sim/github/index.js";\n'),
    ).toEqual([]);
    expect(
      await messagesFor("sim/cloud/x.ts", 'import { readBody } from "../shared/read-body.js";\n'),
    ).toEqual([]);
    expect(await messagesFor("core/x.ts", 'import { parseYaml } from "./yaml/parse-yaml.js";\n')).toEqual([]);
  });
});
