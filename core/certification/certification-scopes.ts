import { parseDuration } from "../duration.js";
import type { ApprovalRule, CertificationCadence, SourceFile } from "../types.js";
import { parseYaml } from "../yaml/parse-yaml.js";

/** What a lapse does: `keep` warns on every check run, `suspend` denies new requests. */
export type OnNoResponse = "keep" | "suspend";

/** An entitlement or workload under certification, with its cadence resolved (the file's keys, then its own). */
export interface CertifiedItem {
  kind: "entitlement" | "workload";
  name: string;
  every: string;
  /** `every` in minutes. */
  minutes: number;
  reviewers: ApprovalRule;
  onNoResponse: OnNoResponse;
}

/** Everything one policy (a metadata.name, in one or more files) puts under certification. */
export interface CertificationScope {
  policy: string;
  files: string[];
  items: CertifiedItem[];
}

type Named = { name?: unknown; certification?: CertificationCadence };
type Doc = {
  metadata?: { name?: unknown };
  spec?: {
    certification?: CertificationCadence;
    entitlements?: Named[];
    workloads?: Named[];
  };
};

/** A cadence merged key by key over the file's, when both every and reviewers are set; else undefined. */
export function resolveCadence(
  file: CertificationCadence | undefined,
  own: CertificationCadence | undefined,
): { every: string; minutes: number; reviewers: ApprovalRule; onNoResponse: OnNoResponse } | undefined {
  if (!file && !own) return undefined;
  const merged = { ...file, ...own };
  const minutes = parseDuration(merged.every);
  if (minutes === undefined || !merged.reviewers) return undefined;
  return {
    every: merged.every!,
    minutes,
    reviewers: merged.reviewers,
    onNoResponse: merged.onNoResponse ?? "keep",
  };
}

/**
 * The certification scopes of policy files that passed their checks, by policy name. Files sharing
 * a metadata.name share one record; each file's spec.certification covers only its own items.
 */
export function certificationScopes(policyFiles: SourceFile[]): Map<string, CertificationScope> {
  const scopes = new Map<string, CertificationScope>();
  const ordered = [...policyFiles].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  for (const file of ordered) {
    const parsed = parseYaml(file.content);
    if (!parsed.ok) continue;
    const doc = (parsed.value.data ?? {}) as Doc;
    const policy = doc.metadata?.name;
    if (typeof policy !== "string") continue;
    const spec = doc.spec ?? {};
    const items: CertifiedItem[] = [];
    const add = (kind: CertifiedItem["kind"], list: unknown) => {
      const entries = (Array.isArray(list) ? list : []) as Named[];
      for (const x of entries) {
        const cadence = resolveCadence(spec.certification, x?.certification);
        if (cadence && typeof x.name === "string") items.push({ kind, name: x.name, ...cadence });
      }
    };
    add("entitlement", spec.entitlements);
    add("workload", spec.workloads);
    if (items.length === 0) continue;
    const scope = scopes.get(policy) ?? { policy, files: [], items: [] };
    scope.files.push(file.path);
    scope.items.push(...items);
    scopes.set(policy, scope);
  }
  return scopes;
}

/** The distinct reviewer rules of a scope's items (all must hold on a certification pull request). */
export function scopeReviewers(items: CertifiedItem[]): ApprovalRule[] {
  const seen = new Map<string, ApprovalRule>();
  for (const i of items) seen.set(JSON.stringify(i.reviewers), i.reviewers);
  return [...seen.values()];
}
