import { parseArgs } from "node:util";
import { fileURLToPath } from "node:url";
import { benchDecision } from "./decision-bench.js";
import { benchStartup } from "./startup-bench.js";
import { benchSweep } from "./sweep-bench.js";
import { benchValidate, POLICY, requestFiles } from "./validate-bench.js";

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

progress("sweep: 100,000 active GCP grants, 100 expired");
const sweep = await benchSweep(quick ? 10_000 : 100_000, 100, 1000);

const result = { decision, validate, startup, decision_scaling: scaling, sweep };
if (values.json) {
  process.stdout.write(`${JSON.stringify(result)}\n`);
} else {
  for (const s of scaling) {
    process.stdout.write(
      `decision @${s.entitlements}: jitops ${s.jitops_us} us, cedar ${s.cedar_us} us (${s.speedup}x)\n`,
    );
  }
  process.stdout.write(
    `validate ${validate.files} files: jitops ${validate.jitops_ms} ms, YAML.parse ${validate.yaml_parse_ms} ms (ratio ${validate.ratio})\n`,
  );
  process.stdout.write(
    `startup: jitops ${startup.jitops_ms} ms, node ${startup.node_ms} ms (ratio ${startup.ratio})\n`,
  );
}
