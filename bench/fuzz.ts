import { parseArgs } from "node:util";
import { readCorpus } from "./fuzz-corpus.js";
import { runFuzz } from "./fuzz-run.js";

// `npm run fuzz [-- --count N --seed S]`: hostile inputs through validate and the CODEOWNERS
// parser; prints one JSON report (throws and a touched Object.prototype make the exit status 1).
const { values } = parseArgs({
  options: { count: { type: "string" }, seed: { type: "string" }, root: { type: "string" } },
});
const count = Number(values.count ?? 1_000_000);
const seed = Number(values.seed ?? 1);
const corpus = readCorpus(values.root ?? process.cwd());
process.stderr.write(`fuzz: ${count} inputs, seed ${seed}, ${corpus.length} corpus files\n`);
const report = runFuzz(corpus, {
  count,
  seed,
  progress: (done) => {
    if (done % 100_000 === 0) process.stderr.write(`fuzz: ${done}\n`);
  },
});
process.stdout.write(`${JSON.stringify({ ...report, corpus_files: corpus.length }, null, 2)}\n`);
process.exitCode = report.throws === 0 && report.object_prototype_untouched ? 0 : 1;
