import { execFileSync } from "node:child_process";
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { round } from "./measure.js";

function timeRuns(args: string[], cwd: string, runs: number): number {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = process.hrtime.bigint();
    execFileSync(process.execPath, args, { cwd, stdio: "ignore" });
    times.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}

/** Median wall time of `jitops validate` on one file against `node -e 0`, interleaved. */
export function benchStartup(cli: string, policy: string, request: string, runs = 15) {
  const root = mkdtempSync(join(tmpdir(), "jitops-bench-"));
  try {
    mkdirSync(join(root, "policies"));
    mkdirSync(join(root, "access/requests"), { recursive: true });
    writeFileSync(join(root, "policies/p.yaml"), policy);
    writeFileSync(join(root, "access/requests/alice-prod-db.yaml"), request);
    timeRuns(["-e", "0"], root, 2);
    const node = timeRuns(["-e", "0"], root, runs);
    const jitops = timeRuns([cli, "validate", "access/requests/alice-prod-db.yaml"], root, runs);
    return { jitops_ms: round(jitops, 1), node_ms: round(node, 1), ratio: round(jitops / node) };
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}
