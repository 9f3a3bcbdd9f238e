import { createRequire as __jitopsCreateRequire } from 'node:module'; const require = __jitopsCreateRequire(import.meta.url);
import {
  checkRequest,
  compilePolicy,
  isEligible,
  loadPolicy,
  require_dist
} from "./chunks/chunk-CUVCFO7P.js";
import {
  __toESM
} from "./chunks/chunk-QSV4CKXI.js";

// bench/index.ts
import { parseArgs } from "node:util";
import { fileURLToPath } from "node:url";

// bench/decision-bench.ts
import * as cedar from "@cedar-policy/cedar-wasm/nodejs";

// bench/measure.ts
function perCallMicros(n, fn) {
  for (let i = 0; i < Math.min(n, 200); i++) fn(i);
  const t = process.hrtime.bigint();
  for (let i = 0; i < n; i++) fn(i);
  return Number(process.hrtime.bigint() - t) / 1e3 / n;
}
function round(x, d = 2) {
  const f = 10 ** d;
  return Math.round(x * f) / f;
}

// bench/decision-bench.ts
var TEAMS = 50;
function syntheticPolicy(n) {
  const entitlements = [];
  for (let i = 0; i < n; i++) {
    entitlements.push({
      name: `ent-${i}`,
      grants: [{ gcp: { resource: `projects/p-${i}`, role: "roles/browser" } }],
      eligible: { teams: [`acme/team-${i % TEAMS}`], users: [`user-${i % 997}`] },
      maxDuration: "4h",
      approval: [{ count: 1, from: { teams: ["acme/sre"] } }]
    });
  }
  return { principals: {}, policyOwners: [], entitlements, workloads: [] };
}
function cedarPolicies(p) {
  const out = [];
  for (const e of p.entitlements) {
    for (const t of e.eligible.teams ?? []) {
      out.push(
        `permit(principal in Team::"${t}", action == Action::"request", resource == Entitlement::"${e.name}");`
      );
    }
    for (const u of e.eligible.users ?? []) {
      out.push(
        `permit(principal == User::"${u}", action == Action::"request", resource == Entitlement::"${e.name}");`
      );
    }
  }
  return out.join("\n");
}
function benchDecision(n, iterations) {
  const policy = syntheticPolicy(n);
  const compiled = compilePolicy(policy);
  const questions = Array.from({ length: 64 }, (_, i) => ({
    login: `user-${i * 31 % 997}`,
    teams: [`acme/team-${i * 7 % TEAMS}`, "acme/other"],
    entitlement: `ent-${i * 104729 % n}`
  }));
  let yes = 0;
  const jitopsUs = perCallMicros(iterations * 100, (i) => {
    const q = questions[i % questions.length];
    const e = compiled.entitlements.get(q.entitlement);
    if (e && isEligible(e, q.login, q.teams)) yes++;
  });
  const id = `bench-${n}`;
  const parsed = cedar.preparsePolicySet(id, { staticPolicies: cedarPolicies(policy) });
  if (parsed.type !== "success") throw new Error(`cedar policies did not parse: ${JSON.stringify(parsed)}`);
  let cedarYes = 0;
  const cedarUs = perCallMicros(iterations, (i) => {
    const q = questions[i % questions.length];
    const answer = cedar.statefulIsAuthorized({
      principal: { type: "User", id: q.login },
      action: { type: "Action", id: "request" },
      resource: { type: "Entitlement", id: q.entitlement },
      context: {},
      preparsedPolicySetId: id,
      entities: [
        {
          uid: { type: "User", id: q.login },
          attrs: {},
          parents: q.teams.map((t) => ({ type: "Team", id: t }))
        },
        ...q.teams.map((t) => ({ uid: { type: "Team", id: t }, attrs: {}, parents: [] }))
      ]
    });
    if (answer.type === "success" && answer.response.decision === "allow") cedarYes++;
  });
  const agree = Math.sign(yes) === Math.sign(cedarYes);
  if (!agree) throw new Error("jitops and cedar disagree on the bench questions");
  return {
    entitlements: n,
    jitops_us: round(jitopsUs, 3),
    cedar_us: round(cedarUs, 1),
    speedup: Math.round(cedarUs / jitopsUs)
  };
}

// bench/startup-bench.ts
import { execFileSync } from "node:child_process";
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
function timeRuns(args, cwd, runs) {
  const times = [];
  for (let i = 0; i < runs; i++) {
    const t = process.hrtime.bigint();
    execFileSync(process.execPath, args, { cwd, stdio: "ignore" });
    times.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}
function benchStartup(cli2, policy, request, runs = 15) {
  const root = mkdtempSync(join(tmpdir(), "jitops-bench-"));
  try {
    mkdirSync(join(root, "policies"));
    mkdirSync(join(root, "access/requests"), { recursive: true });
    writeFileSync(join(root, "policies/p.yaml"), policy);
    writeFileSync(join(root, "access/requests/alice-prod-db.yaml"), request);
    timeRuns(["-e", "0"], root, 2);
    const node = timeRuns(["-e", "0"], root, runs);
    const jitops = timeRuns([cli2, "validate", "access/requests/alice-prod-db.yaml"], root, runs);
    return { jitops_ms: round(jitops, 1), node_ms: round(node, 1), ratio: round(jitops / node) };
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

// bench/validate-bench.ts
var import_yaml = __toESM(require_dist(), 1);
var POLICY = `apiVersion: jitops.dev/v1
kind: Policy
metadata:
  name: bench
spec:
  entitlements:
    - name: prod-db-reader
      grants:
        - gcp: {resource: projects/acme-prod, role: roles/cloudsql.viewer}
      eligible: {teams: [acme/backend]}
      maxDuration: 8h
      require: {justification: true, ticket: "^INC-[0-9]+$"}
      approval:
        - {name: sre, count: 1, from: {teams: [acme/sre]}}
`;
function requestFiles(n) {
  return Array.from({ length: n }, (_, i) => ({
    path: `access/requests/req-${i}.yaml`,
    content: `apiVersion: jitops.dev/v1
kind: AccessRequest
metadata:
  name: req-${i}
spec:
  entitlement: prod-db-reader
  duration: ${i % 8 + 1}h
  justification: Investigate replication lag number ${i}
  ticket: INC-${1e3 + i}
`
  }));
}
function benchValidate(n) {
  const policy = loadPolicy([{ path: "policies/bench.yaml", content: POLICY }]).policy;
  const files = requestFiles(n);
  const now = /* @__PURE__ */ new Date("2026-01-01T00:00:00Z");
  let bad = 0;
  let best = { jitops: Infinity, yaml: Infinity };
  for (let round2 = 0; round2 < 3; round2++) {
    const j = perCallMicros(n, (i) => checkRequest(files[i], policy, now).ok ? 0 : bad++) * n / 1e3;
    const y = perCallMicros(n, (i) => (0, import_yaml.parse)(files[i].content)) * n / 1e3;
    best = { jitops: Math.min(best.jitops, j), yaml: Math.min(best.yaml, y) };
  }
  if (bad > 0) throw new Error(`${bad} bench requests were invalid`);
  return {
    files: n,
    jitops_ms: round(best.jitops, 1),
    yaml_parse_ms: round(best.yaml, 1),
    ratio: round(best.jitops / best.yaml)
  };
}

// bench/index.ts
var { values } = parseArgs({ options: { json: { type: "boolean" }, quick: { type: "boolean" } } });
var progress = (m) => process.stderr.write(`bench: ${m}
`);
var quick = values.quick === true;
progress("decision at 10, 1000, 5000 and 10000 entitlements (jitops vs cedar-wasm)");
var scaling = [10, 1e3, 5e3, 1e4].map((n) => benchDecision(n, quick ? 20 : n >= 5e3 ? 60 : 300));
var decision = scaling.find((s) => s.entitlements === 5e3);
progress(`validate ${quick ? 1e3 : 1e4} request files (jitops vs YAML.parse)`);
var validate = benchValidate(quick ? 1e3 : 1e4);
progress("startup of jitops validate vs node -e 0");
var cli = fileURLToPath(new URL("./cli.js", import.meta.url));
var startup = benchStartup(
  cli,
  POLICY,
  requestFiles(1)[0].content.replace(/req-0/g, "alice-prod-db"),
  quick ? 5 : 15
);
var result = { decision, validate, startup, decision_scaling: scaling };
if (values.json) {
  process.stdout.write(`${JSON.stringify(result)}
`);
} else {
  for (const s of scaling) {
    process.stdout.write(
      `decision @${s.entitlements}: jitops ${s.jitops_us} us, cedar ${s.cedar_us} us (${s.speedup}x)
`
    );
  }
  process.stdout.write(
    `validate ${validate.files} files: jitops ${validate.jitops_ms} ms, YAML.parse ${validate.yaml_parse_ms} ms (ratio ${validate.ratio})
`
  );
  process.stdout.write(
    `startup: jitops ${startup.jitops_ms} ms, node ${startup.node_ms} ms (ratio ${startup.ratio})
`
  );
}
