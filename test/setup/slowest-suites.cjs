// A jest reporter: after the summary, the five slowest test files, so a slow suite is seen
// the run it appears in.
class SlowestSuites {
  onRunComplete(_contexts, results) {
    const root = process.cwd() + "/";
    const slowest = results.testResults
      .map((r) => ({ path: r.testFilePath.replace(root, ""), ms: r.perfStats.end - r.perfStats.start }))
      .sort((a, b) => b.ms - a.ms)
      .slice(0, 5);
    if (slowest.length === 0) return;
    const lines = slowest.map((s) => `  ${(s.ms / 1000).toFixed(1).padStart(6)} s  ${s.path}`);
    process.stderr.write(`\nSlowest test files:\n${lines.join("\n")}\n`);
  }
}
module.exports = SlowestSuites;
