import { checkRequest } from "../core/check-request.js";
import { ownersOf, parseCodeowners } from "../core/codeowners.js";
import { loadPolicy } from "../core/load-policy.js";
import { parseTestCase } from "../core/policy-test-case.js";
import type { SourceFile } from "../core/types.js";
import { validateFiles } from "../core/validate-files.js";
import { fuzzInputs, WORST_PATTERN_POLICY, type CorpusFile, type FuzzInput } from "./fuzz-inputs.js";

/** What one fuzz run found: speed, throws (goal 0), the slowest input (goal < 100 ms), memory. */
export interface FuzzReport {
  inputs: number;
  seed: number;
  seconds: number;
  inputs_per_second: number;
  throws: number;
  throw_examples: { index: number; description: string; target: string; error: string }[];
  /** The slowest single check (one input through one target). */
  slowest: { index: number; description: string; target: string; ms: number };
  /** Checks (input and target) that took over 100 ms. */
  over_100ms: number;
  peak_rss_mb: number;
  object_prototype_untouched: boolean;
}

const NOW = new Date("2026-11-24T10:00:00Z");
const PROBE_PATHS = ["access/requests/a.yaml", "policies/x.yaml", "docs/a/b/c.md", "CODEOWNERS", ""];

/** Object.prototype as it stands: own names and descriptors, to compare after the run. */
function prototypeShape(): string {
  return Object.getOwnPropertyNames(Object.prototype)
    .sort()
    .map((k) => {
      const d = Object.getOwnPropertyDescriptor(Object.prototype, k)!;
      return `${k}:${typeof d.value}:${String(d.enumerable)}:${String(d.writable)}`;
    })
    .join(",");
}

function prototypeIntact(shape: string): boolean {
  const probe = {} as Record<string, unknown>;
  // A polluted prototype shows as an enumerable or readable key on a fresh object.
  for (const _ in probe) return false;
  return probe.polluted === undefined && prototypeShape() === shape;
}

/**
 * Runs `count` inputs from `corpus` through the validate path (request and policy checks, and
 * validateFiles with the CODEOWNERS among the policy files), the CODEOWNERS parser and the
 * policy test-case parser, timing each input and catching anything thrown.
 */
export function runFuzz(
  corpus: CorpusFile[],
  opts: { count: number; seed: number; progress?: (done: number) => void },
): FuzzReport {
  const policyFiles: SourceFile[] = [
    ...corpus.filter((f) => /^policies\/[^/]+\.ya?ml$/.test(f.path) && !/\.test\.ya?ml$/.test(f.path)),
    { path: "policies/zz-fuzz.yaml", content: WORST_PATTERN_POLICY },
  ];
  const { policy } = loadPolicy(policyFiles);
  const shape = prototypeShape();
  const report: FuzzReport = {
    inputs: 0,
    seed: opts.seed,
    seconds: 0,
    inputs_per_second: 0,
    throws: 0,
    throw_examples: [],
    slowest: { index: -1, description: "", target: "", ms: 0 },
    over_100ms: 0,
    peak_rss_mb: 0,
    object_prototype_untouched: true,
  };
  const sampleRss = () => {
    report.peak_rss_mb = Math.max(report.peak_rss_mb, Math.round(process.memoryUsage().rss / 1048576));
  };
  const attempt = (input: FuzzInput, target: string, fn: () => unknown) => {
    const t = performance.now();
    try {
      fn();
    } catch (e) {
      report.throws++;
      if (report.throw_examples.length < 10) {
        const error = e instanceof Error ? `${e.name}: ${e.message}`.slice(0, 300) : String(e);
        report.throw_examples.push({ index: input.index, description: input.description, target, error });
      }
    }
    const ms = performance.now() - t;
    if (ms > report.slowest.ms)
      report.slowest = { index: input.index, description: input.description, target, ms };
    if (ms > 100) report.over_100ms++;
  };
  const started = performance.now();
  for (const input of fuzzInputs(corpus, opts.seed, opts.count)) {
    for (const target of input.targets) {
      switch (target) {
        case "request":
          attempt(input, target, () =>
            checkRequest({ path: "access/requests/fuzz.yaml", content: input.content }, policy, NOW),
          );
          break;
        case "policy":
          attempt(input, target, () => loadPolicy([{ path: "policies/fuzz.yaml", content: input.content }]));
          break;
        case "codeowners":
          attempt(input, target, () => {
            const { rules } = parseCodeowners(input.content);
            for (const p of PROBE_PATHS) ownersOf(rules, p);
            validateFiles([{ path: "CODEOWNERS", content: input.content }], [], NOW);
          });
          break;
        case "test-case":
          attempt(input, target, () => parseTestCase(input.content));
          break;
      }
    }
    report.inputs++;
    if (report.inputs % 1000 === 0 || input.content.length > 60_000) sampleRss();
    if (report.inputs % 10_000 === 0) {
      if (!prototypeIntact(shape)) report.object_prototype_untouched = false;
      opts.progress?.(report.inputs);
    }
  }
  sampleRss();
  report.seconds = Math.round((performance.now() - started) / 100) / 10;
  report.inputs_per_second = Math.round(report.inputs / Math.max(report.seconds, 0.001));
  report.slowest.ms = Math.round(report.slowest.ms * 10) / 10;
  report.slowest.description = report.slowest.description.slice(0, 200);
  if (!prototypeIntact(shape)) report.object_prototype_untouched = false;
  return report;
}
