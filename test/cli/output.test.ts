import { jest } from "@jest/globals";
import { colorWanted } from "../../cli/output.js";
import { runCli } from "../../cli/program.js";
import { NOW, POLICY_YAML, REQUEST_YAML } from "../fixtures/policy.js";
import { tempRepo } from "../fixtures/temp-repo.js";

const ESC = "\u001b[";

describe("colour: FORCE_COLOR decides when set, else NO_COLOR turns it off, else only on a terminal", () => {
  it.each([
    [{}, true, true],
    [{}, false, false],
    [{ NO_COLOR: "1" }, true, false],
    [{ NO_COLOR: "" }, true, true],
    [{ FORCE_COLOR: "0" }, true, false],
    [{ FORCE_COLOR: "false" }, true, false],
    [{ FORCE_COLOR: "1" }, false, true],
    [{ FORCE_COLOR: "" }, false, true],
    [{ FORCE_COLOR: "1", NO_COLOR: "1" }, false, true],
    [{ FORCE_COLOR: "0", NO_COLOR: "" }, true, false],
  ])("%j on a terminal: %s -> %s", (env, tty, wanted) => {
    expect(colorWanted(env, tty)).toBe(wanted);
  });

  it.each([
    [{ FORCE_COLOR: "1" }, ["validate"], true],
    // Jest's stdout is not a terminal, so only forcing can turn colour on here; NO_COLOR and
    // FORCE_COLOR=0 on a terminal are in the table above.
    [{}, ["validate"], false],
    [{ FORCE_COLOR: "1" }, ["validate", "--json"], false],
  ])("the process's output with %j, jitops %j: ANSI codes %s", async (env, args, ansi) => {
    const repo = tempRepo({
      "policies/test.yaml": POLICY_YAML,
      "access/requests/alice-prod-db.yaml": REQUEST_YAML.replace("4h", "9h"),
    });
    const written: string[] = [];
    const write = jest.spyOn(process.stdout, "write").mockImplementation((chunk) => {
      written.push(String(chunk));
      return true;
    });
    try {
      expect(await runCli(["node", "jitops", ...args], { env, now: () => NOW, cwd: repo.root })).toBe(1);
    } finally {
      write.mockRestore();
      repo.remove();
    }
    expect(written.join("")).toContain("duration.exceeds-max");
    expect(written.join("").includes(ESC)).toBe(ansi);
  });
});
