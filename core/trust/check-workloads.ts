import type { FileError } from "../file-error.js";
import { displayPath } from "../schema/schema-errors.js";
import {
  isKubernetesWorkload,
  type Cluster,
  type GitHubWorkload,
  type KubernetesWorkload,
  type Workload,
} from "../types.js";
import { MAX_FEDERATED_FIELD } from "./azure-trust.js";
import { gkePool } from "./cluster-principals.js";
import { poolOf } from "./gcp-trust.js";
import { GITHUB_ACTIONS_ISSUER, githubSubject } from "./github-actions-issuer.js";
import { kubernetesSubject } from "./kubernetes-issuer.js";

/** Reports an error at a JSON pointer of the file being checked (at the key when `key`). */
export type PushError = (pointer: string, code: string, message: string, key?: boolean) => void;

/** Keys that describe a GitHub Actions job, meaningless for a pod. */
const GITHUB_KEYS = ["repository", "repositoryId", "ownerId", "ref", "environment", "workflow", "issuer"];
/** Keys a GitHub workload needs; the schema cannot require them since pods go without. */
const GITHUB_REQUIRED = ["repository", "repositoryId", "ownerId"];

const obj = (v: unknown): Record<string, unknown> | undefined =>
  v && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;

/**
 * Checks what makes a workload one identity, before the schema: a pod (`kubernetes`) names none of
 * a GitHub job's keys; a GitHub job has its repository ids and, per gcp grant, a provider. Missing
 * keys are `schema.required`, said as the schema says it.
 */
export function checkWorkloadShape(w: object, base: string, push: PushError): void {
  const rec = w as Record<string, unknown>;
  const grants = Array.isArray(rec.grants) ? rec.grants : [];
  const gcpOf = (g: unknown) => obj(obj(g)?.gcp);
  if ("kubernetes" in rec) {
    const name = typeof rec.name === "string" ? rec.name : "this workload";
    const refuse = (pointer: string, key: string) =>
      push(
        pointer,
        "workload.not-for-kubernetes",
        `workload ${name} runs in Kubernetes: ${key} is for GitHub Actions workloads; a pod is its cluster, namespace and serviceAccount (remove ${key})`,
        true,
      );
    for (const k of GITHUB_KEYS) if (k in rec) refuse(`${base}/${k}`, k);
    grants.forEach((g, j) => {
      if (gcpOf(g) && "workloadIdentityProvider" in gcpOf(g)!)
        refuse(`${base}/grants/${j}/gcp/workloadIdentityProvider`, "workloadIdentityProvider");
    });
    return;
  }
  for (const k of GITHUB_REQUIRED)
    if (!(k in rec))
      push(
        base,
        "schema.required",
        `${displayPath(base)} is missing the required key "${k}" (or kubernetes, for pods)`,
      );
  grants.forEach((g, j) => {
    const gcp = gcpOf(g);
    if (gcp && !("workloadIdentityProvider" in gcp))
      push(
        `${base}/grants/${j}/gcp`,
        "schema.required",
        `${displayPath(`${base}/grants/${j}/gcp`)} is missing the required key "workloadIdentityProvider"`,
      );
  });
}

/** Checks a cluster declaration the schema accepted: one source of keys, a GCP pool that fits, Entra's limits. */
export function checkCluster(c: Cluster, base: string, push: PushError): void {
  if (c.jwks && c.jwksUri)
    push(
      `${base}/jwksUri`,
      "cluster.jwks",
      `cluster ${c.name} gives both jwks and jwksUri; give the keys inline (jwks) or where to fetch them (jwksUri), not both`,
      true,
    );
  const g = c.gcp;
  if (g?.gke) {
    const pool = gkePool(g);
    if (g.workloadIdentityPool !== undefined && g.workloadIdentityPool !== pool)
      push(
        `${base}/gcp/workloadIdentityPool`,
        "cluster.gcp-pool",
        `cluster ${c.name} is a GKE cluster: its pool is ${pool} (Workload Identity Federation for GKE), not ${g.workloadIdentityPool}; remove workloadIdentityPool or set gke: false`,
      );
  } else if (g) {
    if (g.workloadIdentityPool === undefined)
      push(
        `${base}/gcp`,
        "cluster.gcp-pool",
        `cluster ${c.name} is not GKE (gke: false), so GCP trusts it through a provider in a workload identity pool: add workloadIdentityPool (projects/${g.projectNumber}/locations/global/workloadIdentityPools/POOL), or set gke: true`,
      );
    else if (!g.workloadIdentityPool.startsWith(`projects/${g.projectNumber}/`))
      push(
        `${base}/gcp/workloadIdentityPool`,
        "cluster.gcp-pool",
        `pool ${g.workloadIdentityPool} is not in project number ${g.projectNumber} (gcp.projectNumber); name a pool of that project`,
      );
    if (g.providerId === undefined && !/^[a-z0-9-]{4,32}$/.test(c.name))
      push(
        `${base}/name`,
        "cluster.provider-id",
        `cluster name ${c.name} cannot be a GCP provider id (4 to 32 of a-z, 0-9, '-'): set gcp.providerId`,
      );
  }
  if (c.azure && c.issuer.length > MAX_FEDERATED_FIELD)
    push(
      `${base}/issuer`,
      "azure.issuer-too-long",
      `issuer is ${c.issuer.length} characters; Entra accepts at most ${MAX_FEDERATED_FIELD} in a federated credential's issuer`,
    );
}

/** Entra's limits on a GitHub workload's federated credential: issuer and subject at most 600 characters. */
export function checkGithubAzureLimits(w: GitHubWorkload, base: string, push: PushError): void {
  const j = w.grants.findIndex((g) => "azure" in g);
  if (j < 0) return;
  const issuer = w.issuer ?? GITHUB_ACTIONS_ISSUER;
  if (issuer.length > MAX_FEDERATED_FIELD)
    push(
      `${base}/issuer`,
      "azure.issuer-too-long",
      `issuer is ${issuer.length} characters; Entra accepts at most ${MAX_FEDERATED_FIELD} in a federated credential's issuer`,
    );
  if (!w.environment && !w.ref) return; // workload.subject says so
  const subject = githubSubject(w);
  if (subject.length > MAX_FEDERATED_FIELD)
    push(
      `${base}/${w.environment ? "environment" : "ref"}`,
      "azure.subject-too-long",
      `workload ${w.name}'s token subject would be ${subject.length} characters; Entra accepts at most ${MAX_FEDERATED_FIELD} in a federated credential's subject: use a shorter ${w.environment ? "environment" : "ref"}`,
    );
}

/**
 * An earlier workload of the same repository, with different constraints, whose GCP grant goes
 * through the same workload identity pool, if any: its name and the pool. GCP binds a service
 * account to `principalSet://…/workloadIdentityPools/POOL/attribute.repository_id/ID`, which an
 * identity admitted by any provider of the pool belongs to, so a provider of its own would not keep
 * the two workloads apart (each job could impersonate the other's service account); a pool does.
 */
export function sharedPool(
  earlier: Workload[],
  w: GitHubWorkload,
): { workload: string; pool: string } | undefined {
  const pools = (x: GitHubWorkload) =>
    new Set(x.grants.flatMap((g) => ("gcp" in g ? [poolOf(g.gcp.workloadIdentityProvider)] : [])));
  const mine = pools(w);
  const key = (x: GitHubWorkload) =>
    JSON.stringify([x.issuer ?? GITHUB_ACTIONS_ISSUER, x.ref ?? "", x.environment ?? "", x.workflow ?? ""]);
  for (const x of earlier) {
    if (isKubernetesWorkload(x) || x.repositoryId !== w.repositoryId || key(x) === key(w)) continue;
    const pool = [...pools(x)].find((p) => mine.has(p));
    if (pool) return { workload: x.name, pool };
  }
  return undefined;
}

/** A pod workload to check once every policy file is merged, with where its file reports errors. */
export interface PodCheck {
  workload: KubernetesWorkload;
  pointer: string;
  at: (pointer: string) => { line: number; column: number };
  result: { ok: boolean; errors: FileError[] };
}

/**
 * Checks each pod workload against the merged clusters: its cluster is declared, trusts every cloud
 * it has a grant for, and gives a subject Entra can hold.
 */
export function checkPodWorkloads(
  checks: PodCheck[],
  clusters: Cluster[],
): { result: PodCheck["result"]; error: FileError }[] {
  const out: { result: PodCheck["result"]; error: FileError }[] = [];
  for (const { workload: w, pointer, at, result } of checks) {
    if (!isKubernetesWorkload(w)) continue;
    const error = (p: string, code: string, message: string) =>
      out.push({ result, error: { ...at(p), code, message } });
    const cluster = clusters.find((c) => c.name === w.kubernetes.cluster);
    if (!cluster) {
      error(
        `${pointer}/kubernetes/cluster`,
        "cluster.unknown",
        `cluster ${w.kubernetes.cluster} is not declared under clusters; declared: ${clusters.map((c) => c.name).join(", ") || "none"}`,
      );
      continue;
    }
    w.grants.forEach((g, j) => {
      const cloud = "gcp" in g ? "gcp" : "azure";
      if (!cluster[cloud])
        error(
          `${pointer}/grants/${j}/${cloud}`,
          "workload.cluster-cloud",
          `workload ${w.name} has ${cloud === "gcp" ? "a gcp" : "an azure"} grant but cluster ${cluster.name} is not trusted by ${cloud}: ${cloud === "gcp" ? "add gcp (project, projectNumber, and gke: true or a workloadIdentityPool)" : "add azure: true"} to the cluster`,
        );
    });
    const subject = kubernetesSubject(w.kubernetes.namespace, w.kubernetes.serviceAccount);
    if (w.grants.some((g) => "azure" in g) && subject.length > MAX_FEDERATED_FIELD)
      error(
        `${pointer}/kubernetes/serviceAccount`,
        "azure.subject-too-long",
        `workload ${w.name}'s token subject ${subject.slice(0, 40)}… is ${subject.length} characters; Entra accepts at most ${MAX_FEDERATED_FIELD} in a federated credential's subject: use a shorter namespace or service account name`,
      );
  }
  return out;
}
