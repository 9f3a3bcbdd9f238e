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
  it("fails a product file that imports the simulator package, by its name or a relative path", async () => {
    expect(await messagesFor("core/x.ts", 'import { createGitHubSim } from "@jitops/sim/github";\n')).toEqual(
      ["core/x.ts imports the simulators (@jitops/sim/github); only cli/demo, bench and tests may"],
    );
    expect(await messagesFor("github/x.ts", 'export * from "@jitops/sim/cloud";\n')).toHaveLength(1);
    expect(
      await messagesFor("bot/x.ts", 'const m = await import("@jitops/sim/identity");\nexport { m };\n'),
    ).toHaveLength(1);
    expect(
      await messagesFor("cli/commands/x.ts", 'import type { ChatSim } from "@jitops/sim/chat";\n'),
    ).toHaveLength(1);
    expect(await messagesFor("scripts/x.ts", 'import "@jitops/sim";\n')).toHaveLength(1);
    expect(
      await messagesFor("core/x.ts", 'import { createGitHubSim } from "../sim/github/index.js";\n'),
    ).toEqual(["core/x.ts imports the simulators (sim/github/index.js); only cli/demo, bench and tests may"]);
    expect(await messagesFor("github/x.ts", 'export * from "../sim/shared/json-reply.js";\n')).toHaveLength(
      1,
    );
  });

  it("fails a simulator file that imports product code, by a relative path out of sim/ or the root package", async () => {
    expect(
      await messagesFor("sim/github/x.ts", 'import { parseYaml } from "../../core/yaml/parse-yaml.js";\n'),
    ).toEqual([
      "the simulators (sim/github/x.ts) import core/yaml/parse-yaml.js from outside the sim package; a simulator must judge the product, not share its code",
    ]);
    expect(
      await messagesFor("sim/cloud/x.ts", 'import schema from "../../schemas/policy.json";\n'),
    ).toHaveLength(1);
    expect(await messagesFor("sim/identity/x.ts", 'import { x } from "jitops";\n')).toEqual([
      "the simulators (sim/identity/x.ts) import jitops from outside the sim package; a simulator must judge the product, not share its code",
    ]);
    expect(await messagesFor("sim/chat/x.ts", 'export * from "jitops/dist/cli.js";\n')).toHaveLength(1);
  });

  it("allows the demo, bench, tests and imports inside a layer", async () => {
    expect(
      await messagesFor("cli/demo/x.ts", 'import { createGitHubSim } from "@jitops/sim/github";\n'),
    ).toEqual([]);
    expect(
      await messagesFor("bench/x.ts", 'import { createGitHubSim } from "@jitops/sim/github";\n'),
    ).toEqual([]);
    expect(
      await messagesFor("test/e2e/x.ts", 'import { createCloudSim } from "@jitops/sim/cloud";\n'),
    ).toEqual([]);
    expect(
      await messagesFor(
        "test/sim/x.test.ts",
        'import { parseCel } from "../../sim/identity/gcp/cel-parse.js";\n',
      ),
    ).toEqual([]);
    expect(
      await messagesFor("cli/demo/x.ts", 'import { createGitHubSim } from "../../sim/github/index.js";\n'),
    ).toEqual([]);
    expect(
      await messagesFor("sim/cloud/x.ts", 'import { readBody } from "../shared/read-body.js";\n'),
    ).toEqual([]);
    expect(await messagesFor("sim/github/x.ts", 'import { SignJWT } from "jose";\n')).toEqual([]);
    expect(await messagesFor("core/x.ts", 'import { parseYaml } from "./yaml/parse-yaml.js";\n')).toEqual([]);
    expect(await messagesFor("core/x.ts", 'import { simplify } from "@jitops/simplify";\n')).toEqual([]);
  });

  it("fails the domain or the use cases importing outward: core/ only core/, app/ only app/ and core/", async () => {
    expect(await messagesFor("core/x.ts", 'import { readBase } from "../github/read-base.js";\n')).toEqual([
      "core/x.ts is in core/, which may import only core/, schemas/; it imports github/read-base.js (docs/architecture.md)",
    ]);
    expect(
      await messagesFor("core/plan/x.ts", 'import type { RepoPorts } from "../../app/ports.js";\n'),
    ).toHaveLength(1);
    expect(await messagesFor("app/x.ts", 'import { createClient } from "../github/client.js";\n')).toEqual([
      "app/x.ts is in app/, which may import only app/, core/, schemas/; it imports github/client.js (docs/architecture.md)",
    ]);
    expect(await messagesFor("app/x.ts", 'import { runCli } from "../cli/program.js";\n')).toHaveLength(1);
    expect(
      await messagesFor("app/x.ts", 'import type { Provider } from "../core/plan/provider.js";\n'),
    ).toEqual([]);
    expect(await messagesFor("app/x.ts", 'import type { RepoPorts } from "./ports.js";\n')).toEqual([]);
    // Adapters implement the use cases' ports: importing app/ from github/ is the right direction.
    expect(await messagesFor("github/x.ts", 'import type { RepoPorts } from "../app/ports.js";\n')).toEqual(
      [],
    );
  });
});
