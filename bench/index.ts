import { parseArgs } from "node:util";
import { fileURLToPath } from "node:url";
import { benchApiCallsPerReview } from "./api-calls-bench.js";
import { benchDecision } from "./decision-bench.js";
import { benchStartup } from "./startup-bench.js";
import { benchSweep } from "./sweep-bench.js";
import { benchValidate, POLICY, requestFiles } from "./validate-bench.js";
import { benchWorkload } from "./workload-bench.js";

const { values } = parseArgs({ options: { json: { type: "boolean" }, quick: { type: "boolean" } } });
const progress = (m: string) => process.stderr.write(`bench: ${m}\n`);
const quick = values.quick === true;

progress("decision at 10, 1000, 5000 and 10000 entitlements (jitops vs cedar-wasm)");
const scaling = [10, 1000, 5000, 10000].map((n) => benchDecision(n, quick ? 20 : n >= 5000 ? 60 : 300));
const decision = scaling.find((s) => s.entitlements === 5000)!;
progress(`validate ${quick ? 1000 : 10000} request files (jitops vs YAML.parse)`);
const validate = benchValidate(quick ? 1000 : 10000);
progress("startup of jitops validate vs node -e 0");
const cli = fileURLToPath(new URL("./cli.js", import.meta.url));
const startup = benchStartup(
  cli,
  POLICY,
  requestFiles(1)[0]!.content.replace(/req-0/g, "alice-prod-db"),
  quick ? 5 : 15,
);
progress("GitHub API calls per review event (steady state, embedded GitHub)");
const apiCalls = await benchApiCallsPerReview();
progress(`sweep: ${quick ? "10,000" : "100,000"} active GCP grants, 100 expired`);
const sweep = await benchSweep(quick ? 10_000 : 100_000, 100, 1000);
progress("workload: local claims check and cloud calls per credential exchange");
const workload = await benchWorkload();

const result = {
  decision,
  validate,
  startup,
  api_calls_per_review: apiCalls,
  decision_scaling: scaling,
  sweep,
  workload,
};
if (values.json) {
  process.stdout.write(`${JSON.stringify(result)}\n`);
} else {
  const w = (line: string) => process.stdout.write(`${line}\n`);
  for (const s of scaling) {
    w(`decision @${s.entitlements}: jitops ${s.jitops_us} us, cedar ${s.cedar_us} us (${s.speedup}x)`);
  }
  w(
    `validate ${validate.files} files: jitops ${validate.jitops_ms} ms, YAML.parse ${validate.yaml_parse_ms} ms (ratio ${validate.ratio})`,
  );
  w(`startup: jitops ${startup.jitops_ms} ms, node ${startup.node_ms} ms (ratio ${startup.ratio})`);
  w(`api calls per review event: ${apiCalls}`);
  w(
    `sweep ${sweep.grants} grants, ${sweep.expired} expired on ${sweep.resources} resources: ${sweep.cloud_writes} writes, ${sweep.cloud_reads} reads (max ${sweep.max_reads_per_resource} per resource), ${sweep.ms} ms`,
  );
  w(
    `workload: claims check ${workload.claims_check_us} us, GCP exchange ${workload.gcp_exchange_calls} cloud calls, Azure ${workload.azure_exchange_calls}`,
  );
}
