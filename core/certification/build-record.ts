import type { DirectorySnapshot } from "../evaluate/pull-snapshot.js";
import { isKubernetesWorkload, type Policy, type Workload } from "../types.js";
import type {
  CheckedRecord,
  CertificationRecord,
  RecordPerson,
  RecordTrust,
} from "./certification-record.js";
import type { CertificationScope } from "./certification-scopes.js";
import { isoSeconds, type ScopeStatus } from "./certification-status.js";

/** A grant held now, as read from the request files on the default branch and their windows. */
export interface HeldGrant {
  request: string;
  login: string;
  entitlement: string;
  from: Date;
  until: Date;
}

/** Last activity, when activity records exist: of a person (login) or a workload (name). */
export interface ActivityLookup {
  person?(login: string): Date | undefined;
  workload?(name: string): Date | undefined;
}

/** What a record is built from: the policy now, the directory now, what is held now, and the last record. */
export interface RecordInput {
  scope: CertificationScope;
  policy: Policy;
  directory: DirectorySnapshot;
  held: HeldGrant[];
  previous: CheckedRecord | undefined;
  /** The date the certification counts from (see recordDate). */
  date: Date;
  asOf: Date;
  activity?: ActivityLookup;
}

/** The date a new record counts from: the due date while it is ahead (no drift), else now. */
export function recordDate(status: Pick<ScopeStatus, "due">, now: Date): Date {
  return status.due && status.due.getTime() > now.getTime() ? status.due : now;
}

const lower = (s: string) => s.toLowerCase();

/**
 * Builds the record a certification pull request writes: each certified entitlement's eligible
 * people (teams expanded to logins and ids), the grants held now, who was added or removed since
 * the previous record, and each certified workload's trust. Pure and deterministic (sorted).
 */
export function buildRecord(input: RecordInput): CertificationRecord {
  const { scope, policy, directory } = input;
  const idOf = new Map(Object.entries(directory.users).map(([l, u]) => [lower(l), { login: l, id: u.id }]));
  const teams = new Map(Object.entries(directory.teams).map(([t, m]) => [lower(t), m]));
  const previous = new Map(
    (input.previous?.record.spec.entitlements ?? []).map((e) => [
      e.name,
      e.eligible.map((p) => lower(p.login)),
    ]),
  );
  const at = (d: Date | undefined) => (d ? { lastActivity: isoSeconds(d) } : {});
  const entitlements = scope.items
    .filter((i) => i.kind === "entitlement")
    .flatMap((i) => {
      const e = policy.entitlements.find((x) => x.name === i.name);
      if (!e) return [];
      const people = new Map<string, RecordPerson>();
      const add = (login: string, via: string) => {
        const known = idOf.get(lower(login));
        const key = lower(login);
        const p = people.get(key) ?? {
          login: known?.login ?? login,
          ...(known ? { id: known.id } : {}),
          via: [],
          ...at(input.activity?.person?.(known?.login ?? login)),
        };
        if (!p.via.includes(via)) p.via.push(via);
        people.set(key, p);
      };
      for (const u of e.eligible.users ?? []) add(u, "user");
      for (const t of e.eligible.teams ?? []) for (const m of teams.get(lower(t)) ?? []) add(m, t);
      const eligible = [...people.values()].sort((a, b) => lower(a.login).localeCompare(lower(b.login)));
      const now = eligible.map((p) => lower(p.login));
      const before = previous.get(i.name);
      const held = input.held
        .filter((h) => h.entitlement === i.name)
        .map((h) => ({
          request: h.request,
          login: h.login,
          from: isoSeconds(h.from),
          until: isoSeconds(h.until),
        }))
        .sort((a, b) => a.request.localeCompare(b.request));
      const added = before
        ? eligible.filter((p) => !before.includes(lower(p.login))).map((p) => p.login)
        : [];
      const removed = before ? before.filter((l) => !now.includes(l)).sort() : [];
      return [
        {
          name: i.name,
          eligible,
          ...(held.length > 0 ? { held } : {}),
          ...(added.length > 0 ? { added } : {}),
          ...(removed.length > 0 ? { removed } : {}),
        },
      ];
    });
  const workloads = scope.items
    .filter((i) => i.kind === "workload")
    .flatMap((i) => {
      const w = policy.workloads.find((x) => x.name === i.name);
      return w ? [{ name: w.name, trust: trustOf(w), ...at(input.activity?.workload?.(w.name)) }] : [];
    });
  return {
    apiVersion: "jitops.dev/v1",
    kind: "Certification",
    metadata: { name: scope.policy },
    spec: {
      date: isoSeconds(input.date),
      asOf: isoSeconds(input.asOf),
      ...(input.previous ? { previous: { date: isoSeconds(input.previous.date) } } : {}),
      ...(entitlements.length > 0 ? { entitlements } : {}),
      ...(workloads.length > 0 ? { workloads } : {}),
    },
  };
}

/** What policy trusts for a workload: ids, ref, environment, workflow, or a cluster's pods; and its grants. */
export function trustOf(w: Workload): RecordTrust {
  const grants = w.grants.map((g) =>
    "gcp" in g ? `gcp:${g.gcp.serviceAccount}` : `azure:${g.azure.tenantId}/${g.azure.clientId}`,
  );
  if (isKubernetesWorkload(w)) return { ...w.kubernetes, grants };
  return {
    ...(w.issuer ? { issuer: w.issuer } : {}),
    repository: w.repository,
    repositoryId: w.repositoryId,
    ownerId: w.ownerId,
    ...(w.ref ? { ref: w.ref } : {}),
    ...(w.environment ? { environment: w.environment } : {}),
    ...(w.workflow ? { workflow: w.workflow } : {}),
    grants,
  };
}
