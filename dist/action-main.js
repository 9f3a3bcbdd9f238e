import { createRequire as __jitopsCreateRequire } from 'node:module'; const require = __jitopsCreateRequire(import.meta.url);
import {
  listYaml,
  readFiles
} from "./chunks/chunk-WQPR5T65.js";
import {
  actionsCoreIO
} from "./chunks/chunk-ADY7QPAF.js";
import {
  checkRequest,
  formatDuration,
  isPolicyPath,
  loadPolicy
} from "./chunks/chunk-CUVCFO7P.js";
import "./chunks/chunk-QSV4CKXI.js";

// core/describe-request.ts
function describeRule(rule, index) {
  const who = [
    ...(rule.from.teams ?? []).map((t) => `@${t}`),
    ...(rule.from.users ?? []).map((u) => `@${u}`),
    ...rule.from.codeowners ? ["code owners"] : []
  ].join(", ");
  return `${rule.name ?? `rule ${index + 1}`}: ${rule.count} of ${who}`;
}
function describeGrant(g) {
  if ("gcp" in g) return `${g.gcp.role} on ${g.gcp.resource} (gcp)`;
  if ("azure" in g) return `${g.azure.role} on ${g.azure.scope} (azure)`;
  const k = g.kubernetes;
  const role = k.clusterRole ? `ClusterRole ${k.clusterRole}` : `Role ${k.role ?? ""}`;
  return `${role} in ${k.namespace ? `${k.cluster}/${k.namespace}` : `cluster ${k.cluster}`} (kubernetes)`;
}
function summarizeRequest(r) {
  const e = r.entitlement.source;
  const breakGlass = r.request.spec.breakGlass === true;
  return {
    path: r.path,
    name: r.request.metadata.name,
    entitlement: e.name,
    principal: r.request.spec.principal ?? "the PR author's mapped principal",
    duration: formatDuration(r.minutes),
    start: r.start ? r.start.toISOString() : "at merge",
    grants: e.grants.map(describeGrant),
    approvals: breakGlass ? "none (break-glass; post-incident review)" : e.approval === "none" ? "none" : e.approval.map(describeRule).join("; "),
    breakGlass
  };
}

// action/validate-mode.ts
async function runValidateMode(io, root, now) {
  const policyPaths = (await listYaml(root, "policies")).filter(isPolicyPath);
  const given = io.input("files").split(/\s+/).filter(Boolean);
  const requestPaths = given.length > 0 ? given : await listYaml(root, "access/requests");
  const [policies, requests] = await Promise.all([
    readFiles(root, policyPaths),
    readFiles(root, requestPaths)
  ]);
  const loaded = loadPolicy(policies);
  const results = [...loaded.results];
  const rows = [["Request", "Entitlement", "Principal", "Duration", "Starts", "Approvals needed"]];
  const summaries = [];
  for (const file of requests) {
    const r = checkRequest(file, loaded.policy, now);
    results.push({ path: file.path, ok: r.ok, errors: r.ok ? [] : r.errors });
    if (r.ok) {
      const s = summarizeRequest(r.value);
      summaries.push(s);
      rows.push([s.name, s.entitlement, s.principal, s.duration, s.start, s.approvals]);
    }
  }
  let errors = 0;
  for (const r of results) {
    for (const e of r.errors) {
      errors++;
      io.annotate("error", e.message, {
        file: r.path,
        line: e.line,
        column: e.column,
        title: `jitops ${e.code}`
      });
    }
  }
  const ok = errors === 0;
  const text = ok ? `${results.length} files checked: all valid.` : `${errors} error${errors === 1 ? "" : "s"} in ${results.filter((r) => !r.ok).length} of ${results.length} files; see the annotations.`;
  await io.summary({ heading: "jitops: access requests", rows, text });
  io.setOutput("valid", String(ok));
  io.setOutput("errors", String(errors));
  io.setOutput("requests", JSON.stringify(summaries));
  io.info(text);
  if (!ok) io.setFailed(text);
}

// action/run.ts
var MODES = ["validate"];
async function runAction(io, env, now) {
  const mode = io.input("mode") || "validate";
  const root = io.input("path") || env.GITHUB_WORKSPACE || ".";
  try {
    switch (mode) {
      case "validate":
        await runValidateMode(io, root, now);
        return;
      default:
        io.setFailed(`unknown mode "${mode}"; accepted modes: ${MODES.join(", ")}`);
    }
  } catch (e) {
    io.setFailed(`jitops ${mode} failed: ${e.message}`);
  }
}

// action/main.ts
await runAction(actionsCoreIO(), process.env, /* @__PURE__ */ new Date());
