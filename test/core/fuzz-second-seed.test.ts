import { fileURLToPath } from "node:url";
import { readCorpus } from "../../bench/fuzz-corpus.js";
import { runFuzz } from "../../bench/fuzz-run.js";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));

// The second half of the 10,000 fuzz inputs `npm test` runs (fuzz.test.ts has the first): another
// seed, so other mutations of the corpus, and every hostile template again.
describe("fuzz, second seed: hostile input through validate and the CODEOWNERS parser", () => {
  it("invariant: 5,000 more hostile inputs never throw and never touch Object.prototype", () => {
    const report = runFuzz(readCorpus(ROOT), { count: 5_000, seed: 20261202 });
    expect(report.inputs).toBe(5_000);
    expect(report.throw_examples).toEqual([]);
    expect(report.throws).toBe(0);
    expect(report.object_prototype_untouched).toBe(true);
  }, 600_000);
});
