import { didYouMean } from "../../cli/did-you-mean.js";
import { jitops } from "./cli-repo.js";

// A typo in a command or an option is a usage error that names the closest known word.
describe("typos", () => {
  it.each([
    [["valdate"], "error: unknown command 'valdate'; did you mean 'validate'?"],
    [["tset"], "error: unknown command 'tset'; did you mean 'test'?"],
    [["frobnicate"], "error: unknown command 'frobnicate'"],
    [["validate", "--jsn"], "error: unknown option '--jsn'; did you mean '--json'?"],
    [["plan", "--athor", "alice"], "error: unknown option '--athor'; did you mean '--author'?"],
    [["validate", "--verbose"], "error: unknown option '--verbose'"],
  ])("jitops %j exits 2 with the nearest word", async (args, line) => {
    const r = await jitops("/", args);
    expect(r.code).toBe(2);
    expect(r.err.split("\n")[0]).toBe(line);
  });

  it("suggests only within two edits, and never for short words far off", () => {
    expect(didYouMean("expier", ["expire", "apply"])).toBe("; did you mean 'expire'?");
    expect(didYouMean("ab", ["apply"])).toBe("");
    expect(didYouMean("dmeo", ["demo"])).toBe("; did you mean 'demo'?");
  });
});
