import { capErrors } from "./cap-errors.js";
import { checkCadences } from "./certification/check-cadence.js";
import { compilePolicy, isRefusal, TicketPatternCache, type CompiledPolicy } from "./compile-policy.js";
import { durationProblem, parseDuration } from "./duration.js";
import type { FileError } from "./file-error.js";
import { internalError } from "./internal-error.js";
import { validatePolicy } from "./generated/validators.js";
import { quoteValue } from "./schema/quote-value.js";
import { schemaErrors } from "./schema/schema-errors.js";
import {
  mergeNotifications,
  teamsReferences,
  unknownTeamsWebhook,
  type TeamsReference,
} from "./events/check-notifications.js";
import { MAX_FEDERATED_CREDENTIALS } from "./trust/azure-trust.js";
import {
  checkCluster,
  checkGithubAzureLimits,
  checkPodWorkloads,
  checkWorkloadShape,
  sharedPool,
  type PodCheck,
} from "./trust/check-workloads.js";
import {
  isKubernetesWorkload,
  type Cluster,
  type Entitlement,
  type GitHubWorkload,
  type Policy,
  type SourceFile,
  type Workload,
} from "./types.js";
import { parseYaml, type Span } from "./yaml/parse-yaml.js";

/** The check result of one file, as `jitops validate --json` prints it. */
export interface FileCheck {
  path: string;
  ok: boolean;
  errors: FileError[];
}

/** The merged policy (when every file passed) and one check result per policy file. */
export interface LoadedPolicy {
  policy: CompiledPolicy | undefined;
  results: FileCheck[];
}

/** GCP basic roles: they cannot carry an IAM condition, so a grant of one could never expire. */
export const GCP_BASIC_ROLES = new Set(["roles/owner", "roles/editor", "roles/viewer"]);
/** GCP members that mean "everyone"; conditions are not allowed on them. */
export const GCP_PUBLIC_MEMBERS = new Set(["allUsers", "allAuthenticatedUsers"]);

interface PolicyDoc {
  apiVersion: string;
  kind: string;
  metadata: { name: string };
  spec?: Partial<Policy>;
}

/** Is this a policy file path (`policies/*.yaml`, not a test case)? */
export function isPolicyPath(path: string): boolean {
  return /^policies\/[^/]+\.ya?ml$/.test(path) && !/\.test\.ya?ml$/.test(path);
}

/**
 * Parses, checks and merges the policy files (path order). The policy is returned only
 * when every file passed: an unreadable policy never approves anything. Ticket patterns compile
 * through `patterns` (bounded; a fresh one per call unless the caller keeps one).
 */
export function loadPolicy(files: SourceFile[], patterns = new TicketPatternCache()): LoadedPolicy {
  try {
    return loadPolicyFiles(files, patterns);
  } catch (e) {
    // A bug while checking (never expected: parsing is depth-bounded) fails closed, on every file.
    return {
      policy: undefined,
      results: files.map((f) => ({ path: f.path, ok: false, errors: [internalError(e)] })),
    };
  }
}

function loadPolicyFiles(files: SourceFile[], patterns: TicketPatternCache): LoadedPolicy {
  const ordered = [...files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const merged: Policy = { principals: {}, policyOwners: [], entitlements: [], workloads: [], clusters: [] };
  // Name -> where it was first declared (path:line), so a duplicate can point back at it.
  const entitlementNames = new Map<string, string>();
  const workloadNames = new Map<string, string>();
  const clusterNames = new Map<string, string>();
  // Pods name clusters any policy file may declare: checked once every file is merged.
  const podChecks: PodCheck[] = [];
  // Teams webhook names may be declared in any policy file: destinations are checked once all are merged.
  const teamsChecks: { ref: TeamsReference; at: (p: string) => Span["value"]; result: FileCheck }[] = [];
  const notificationsAt = new Map<string, string>();
  const results: FileCheck[] = [];
  for (const file of ordered) {
    const parsed = parseYaml(file.content);
    if (!parsed.ok) {
      results.push({ path: file.path, ok: false, errors: parsed.errors });
      continue;
    }
    const { data, spans } = parsed.value;
    const errors: FileError[] = [];
    const at = (pointer: string, key = false) => {
      const s = spans.get(pointer) ?? { value: { line: 1, column: 1 } };
      return key && s.key ? s.key : s.value;
    };
    const push = (pointer: string, code: string, message: string, key = false) =>
      errors.push({ ...at(pointer, key), code, message });

    // Pointers whose values have a code of their own, so the schema stays quiet about them.
    const durationPointers = new Set<string>();
    const doc = (data ?? {}) as PolicyDoc;
    const spec = (typeof doc === "object" && doc.spec) || {};
    // Durations have a code of their own; check them first and keep the schema quiet about them.
    checkDuration("/spec/certification/every", spec.certification?.every, "every");
    forEachIndexed<Entitlement>(spec.entitlements, (e, i) => {
      checkDuration(`/spec/entitlements/${i}/maxDuration`, e?.maxDuration, "maxDuration");
      checkDuration(`/spec/entitlements/${i}/certification/every`, e?.certification?.every, "every");
      if (e?.breakGlass && typeof e.breakGlass === "object") {
        checkDuration(
          `/spec/entitlements/${i}/breakGlass/maxDuration`,
          e.breakGlass.maxDuration,
          "breakGlass.maxDuration",
        );
      }
    });
    forEachIndexed<Workload>(spec.workloads, (w, i) => {
      checkDuration(`/spec/workloads/${i}/maxLifetime`, w?.maxLifetime, "maxLifetime");
      checkDuration(`/spec/workloads/${i}/certification/every`, w?.certification?.every, "every");
      if (w) checkWorkloadShape(w, `/spec/workloads/${i}`, push);
      const repo = w && !isKubernetesWorkload(w) ? w.repository : undefined;
      if (typeof repo === "string" && /[*?[\]{}]/.test(repo)) {
        durationPointers.add(`/spec/workloads/${i}/repository`);
        push(
          `/spec/workloads/${i}/repository`,
          "workload.wildcard",
          `repository ${JSON.stringify(repo)} has a wildcard; trust names one repository as owner/name with its numeric repositoryId`,
        );
      }
    });

    if (!validatePolicy(data)) {
      errors.push(...schemaErrors(validatePolicy.errors ?? [], data, spans, durationPointers));
    } else {
      checkRules(doc, spans, push, patterns);
    }
    results.push({ path: file.path, ok: errors.length === 0, errors: capErrors(errors) });
    if (errors.length > 0) continue;
    const where = (pointer: string) => `${file.path}:${at(pointer).line}`;
    mergeInto(merged, doc, push, where, entitlementNames, workloadNames, clusterNames);
    for (const c of mergeNotifications(merged, spec.notifications, notificationsAt, where))
      push(c.pointer, "policy.duplicate-name", c.message, true);
    const fileResult = results[results.length - 1]!;
    for (const ref of teamsReferences(spec)) teamsChecks.push({ ref, at: (p) => at(p), result: fileResult });
    (spec.workloads ?? []).forEach((w, i) => {
      if (isKubernetesWorkload(w))
        podChecks.push({
          workload: w,
          pointer: `/spec/workloads/${i}`,
          at: (p) => at(p),
          result: fileResult,
        });
    });
    if (errors.length > 0) {
      const r = results[results.length - 1]!;
      r.ok = false;
      r.errors = capErrors(errors);
    }

    function checkDuration(pointer: string, value: unknown, what: string) {
      if (value === undefined) return;
      durationPointers.add(pointer);
      if (parseDuration(value) === undefined) {
        push(pointer, "duration.invalid", durationProblem(what, value));
      }
    }
  }
  for (const { result, error } of checkPodWorkloads(podChecks, merged.clusters ?? [])) {
    result.ok = false;
    result.errors = capErrors([...result.errors, error]);
  }
  for (const { ref, at, result } of teamsChecks) {
    const problem = unknownTeamsWebhook(ref.name, merged.notifications?.teamsWebhooks ?? []);
    if (problem === undefined) continue;
    result.ok = false;
    const error = { ...at(ref.pointer), code: "notification.unknown-destination", message: problem };
    result.errors = capErrors([...result.errors, error]);
  }
  const ok = results.every((r) => r.ok);
  return { policy: ok ? compilePolicy(merged, patterns) : undefined, results };
}

function forEachIndexed<T>(list: unknown, fn: (item: T | undefined, i: number) => void): void {
  if (Array.isArray(list))
    list.forEach((item, i) => fn(item && typeof item === "object" ? (item as T) : undefined, i));
}

type Push = (pointer: string, code: string, message: string, key?: boolean) => void;

/** Checks that a schema cannot express: roles and members that cannot expire, regexes, role refs. */
function checkRules(
  doc: PolicyDoc,
  _spans: Map<string, Span>,
  push: Push,
  patterns: TicketPatternCache,
): void {
  const spec = doc.spec ?? {};
  for (const [login, map] of Object.entries(spec.principals ?? {})) {
    if (map.gcp && GCP_PUBLIC_MEMBERS.has(map.gcp)) {
      push(
        `/spec/principals/${login}/gcp`,
        "gcp.public-principal",
        `principal ${map.gcp} is not accepted: grants to everyone cannot carry an expiry condition`,
      );
    }
  }
  (spec.clusters ?? []).forEach((c, i) => checkCluster(c, `/spec/clusters/${i}`, push));
  checkCadences(spec, push);
  (spec.workloads ?? []).forEach((w, i) => {
    if (isKubernetesWorkload(w)) return; // checked against its cluster once every file is merged
    checkGithubAzureLimits(w, `/spec/workloads/${i}`, push);
    w.grants.forEach((g, j) => {
      if ("azure" in g && !w.environment && !w.ref) {
        push(
          `/spec/workloads/${i}/grants/${j}/azure`,
          "workload.subject",
          `workload ${w.name} has an azure grant but neither environment nor ref: Entra matches the token subject exactly, so set one`,
        );
      }
    });
  });
  (spec.entitlements ?? []).forEach((e, i) => {
    const base = `/spec/entitlements/${i}`;
    e.grants.forEach((g, j) => {
      if ("gcp" in g && GCP_BASIC_ROLES.has(g.gcp.role)) {
        push(
          `${base}/grants/${j}/gcp/role`,
          "gcp.basic-role",
          `role ${g.gcp.role} is a basic role and cannot carry an IAM condition, so it could never expire; use a predefined or custom role`,
        );
      }
      if ("kubernetes" in g) {
        const k = g.kubernetes;
        if (Boolean(k.role) === Boolean(k.clusterRole)) {
          push(
            `${base}/grants/${j}/kubernetes`,
            "kubernetes.role-ref",
            "a kubernetes grant names exactly one of role (with namespace) or clusterRole",
          );
        } else if (k.role && !k.namespace) {
          push(
            `${base}/grants/${j}/kubernetes/role`,
            "kubernetes.role-ref",
            `role ${k.role} is namespaced: add namespace, or use clusterRole`,
          );
        }
      }
    });
    const t = e.require?.ticket;
    if (typeof t === "string") {
      const compiled = patterns.compile(t);
      if (isRefusal(compiled))
        push(
          `${base}/require/ticket`,
          compiled.code,
          `ticket pattern ${quoteValue(t)} is not accepted: ${compiled.message}`,
        );
    }
  });
}

function mergeInto(
  merged: Policy,
  doc: PolicyDoc,
  push: Push,
  where: (pointer: string) => string,
  entitlementNames: Map<string, string>,
  workloadNames: Map<string, string>,
  clusterNames: Map<string, string>,
): void {
  const spec = doc.spec ?? {};
  for (const [login, map] of Object.entries(spec.principals ?? {})) {
    if (Object.keys(merged.principals).some((l) => l.toLowerCase() === login.toLowerCase())) {
      push(
        `/spec/principals/${login}`,
        "policy.duplicate-principal",
        `principals for ${login} are already declared in an earlier policy file`,
        true,
      );
    } else merged.principals[login] = map;
  }
  merged.policyOwners.push(...(spec.policyOwners ?? []));
  /** Names are unique across policies/: a duplicate is reported at each later occurrence. */
  const unique = (
    kind: "entitlement" | "workload" | "cluster",
    names: Map<string, string>,
    name: string,
    pointer: string,
  ) => {
    const first = names.get(name);
    if (first === undefined) return names.set(name, where(pointer)) && true;
    push(
      pointer,
      "policy.duplicate-name",
      `${kind} ${name} is already declared at ${first}; names are unique across policies/`,
    );
    return false;
  };
  (spec.entitlements ?? []).forEach((e, i) => {
    if (unique("entitlement", entitlementNames, e.name, `/spec/entitlements/${i}/name`))
      merged.entitlements.push(e);
  });
  (spec.clusters ?? []).forEach((c: Cluster, i) => {
    if (unique("cluster", clusterNames, c.name, `/spec/clusters/${i}/name`)) merged.clusters?.push(c);
  });
  (spec.workloads ?? []).forEach((w, i) => {
    const clash = isKubernetesWorkload(w) ? undefined : sharedPool(merged.workloads, w);
    if (clash) {
      push(
        `/spec/workloads/${i}/repositoryId`,
        "workload.shared-provider",
        `workloads ${clash.workload} and ${w.name} trust repository ${(w as GitHubWorkload).repositoryId} through the same workload identity pool (${clash.pool}) with different constraints; GCP binds service accounts by repository across every provider of a pool, so it could not tell them apart: give each its own pool`,
      );
    }
    if (!unique("workload", workloadNames, w.name, `/spec/workloads/${i}/name`)) return;
    (w.grants ?? []).forEach((g, j) => {
      if (!("azure" in g)) return;
      const app = (x: Workload) =>
        x.grants.some(
          (h) =>
            "azure" in h && h.azure.tenantId === g.azure.tenantId && h.azure.clientId === g.azure.clientId,
        );
      const count = merged.workloads.filter(app).length + 1;
      if (count > MAX_FEDERATED_CREDENTIALS)
        push(
          `/spec/workloads/${i}/grants/${j}/azure/clientId`,
          "workload.too-many-federated-credentials",
          `workload ${w.name} would be federated credential ${count} on Entra application ${g.azure.clientId}; Entra allows at most ${MAX_FEDERATED_CREDENTIALS} per application: use another application (clientId) for some workloads`,
        );
    });
    merged.workloads.push(w);
  });
}
