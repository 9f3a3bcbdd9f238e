import { fileURLToPath } from "node:url";
import { readCorpus } from "../../bench/fuzz-corpus.js";
import { fuzzInputs } from "../../bench/fuzz-inputs.js";
import { runFuzz } from "../../bench/fuzz-run.js";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));

describe("fuzz: hostile input through validate and the CODEOWNERS parser", () => {
  const corpus = readCorpus(ROOT);

  it("reads the repository's own files as its corpus: policies, tests, requests, CODEOWNERS, docs YAML", () => {
    const paths = corpus.map((f) => f.path);
    expect(paths).toContain("policies/production.yaml");
    expect(paths).toContain("CODEOWNERS");
    expect(paths.some((p) => /^policies\/tests\/.+\.test\.yaml$/.test(p))).toBe(true);
    expect(paths.some((p) => /^docs\/.+\.md#yaml-\d+$/.test(p))).toBe(true);
  });

  it("makes the same inputs from the same seed, and starts with every hostile template", () => {
    const a = [...fuzzInputs(corpus, 3, 200)];
    const b = [...fuzzInputs(corpus, 3, 200)];
    expect(a.map((x) => x.content)).toEqual(b.map((x) => x.content));
    const names = a.filter((x) => x.description.startsWith("template ")).map((x) => x.description);
    expect(names).toEqual(
      expect.arrayContaining([
        "template billion laughs",
        "template 10k-deep flow lists",
        "template 10k-deep block lists (- - -)",
        "template 10k-deep compact maps (name: c: c:)",
        "template 10 MB scalar",
        "template prototype keys",
        "template NUL bytes",
        "template BOM and CRLF",
      ]),
    );
  });

  // No timing assertion: the machine is shared; `npm run fuzz` reports speed and the slowest input.
  // 10,000 inputs in all: 5,000 here and 5,000 from another seed in fuzz-second-seed.test.ts, so
  // the two halves run on two test workers at once.
  it("invariant: 5,000 hostile inputs never throw and never touch Object.prototype", () => {
    const report = runFuzz(corpus, { count: 5_000, seed: 20261124 });
    expect(report.inputs).toBe(5_000);
    expect(report.throw_examples).toEqual([]);
    expect(report.throws).toBe(0);
    expect(report.object_prototype_untouched).toBe(true);
  }, 600_000);
});
