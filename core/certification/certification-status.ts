import type { FileError } from "../file-error.js";
import type { CheckedRecord } from "./certification-record.js";
import type { CertificationScope, CertifiedItem } from "./certification-scopes.js";

/** How long before its due date a certification is opened and its reviewers first reminded. */
export const LEAD_MINUTES = 14 * 1440;

/** A base tree's certification state: the scopes its policy declares and the last merged records. */
export interface CertificationBase {
  scopes: Map<string, CertificationScope>;
  /** By policy name: the merged record, or why it could not be read (then nothing it lists is certified). */
  records: Map<string, CheckedRecord | { path: string; errors: FileError[] }>;
}

/** Where one entitlement or workload stands at `now`. */
export interface ItemStatus {
  item: CertifiedItem;
  policy: string;
  /** The date of the last merged record that lists it; undefined when none does (never certified). */
  certifiedOn: Date | undefined;
  /** certifiedOn + every; undefined when never certified (due at once). */
  due: Date | undefined;
  /** Past its due date, or never certified. */
  lapsed: boolean;
}

/** Where a whole policy's certification stands at `now`. */
export interface ScopeStatus {
  scope: CertificationScope;
  record: CheckedRecord | undefined;
  items: ItemStatus[];
  /** The earliest due date of its items; undefined when one was never certified (due at once). */
  due: Date | undefined;
  lapsed: ItemStatus[];
}

/** The record of a policy when it could be read. */
export function readableRecord(base: CertificationBase, policy: string): CheckedRecord | undefined {
  const r = base.records.get(policy);
  return r && "record" in r ? r : undefined;
}

/** Status of one item against the last merged record of its policy. Pure: `now` is given. */
export function itemStatus(
  item: CertifiedItem,
  policy: string,
  record: CheckedRecord | undefined,
  now: Date,
): ItemStatus {
  const listed = record?.pointers.has(`${item.kind}:${item.name}`) ? record.date : undefined;
  const due = listed ? new Date(listed.getTime() + item.minutes * 60_000) : undefined;
  return {
    item,
    policy,
    certifiedOn: listed,
    due,
    lapsed: due === undefined || now.getTime() >= due.getTime(),
  };
}

/** Status of every item of a policy, its earliest due date and what has lapsed. */
export function scopeStatus(scope: CertificationScope, base: CertificationBase, now: Date): ScopeStatus {
  const record = readableRecord(base, scope.policy);
  const items = scope.items.map((i) => itemStatus(i, scope.policy, record, now));
  const never = items.some((s) => s.due === undefined);
  const due = never ? undefined : new Date(Math.min(...items.map((s) => s.due!.getTime())));
  return { scope, record, items, due, lapsed: items.filter((s) => s.lapsed) };
}

/** Whether a policy's certification should be open now: due within LEAD_MINUTES, past due, or never done. */
export function isOpenable(status: ScopeStatus, now: Date): boolean {
  return status.due === undefined || now.getTime() >= status.due.getTime() - LEAD_MINUTES * 60_000;
}

/** The status of the entitlement or workload `name`, when a policy puts it under certification. */
export function statusOf(
  base: CertificationBase,
  kind: CertifiedItem["kind"],
  name: string,
  now: Date,
): ItemStatus | undefined {
  for (const scope of base.scopes.values()) {
    const item = scope.items.find((i) => i.kind === kind && i.name === name);
    if (item) return itemStatus(item, scope.policy, readableRecord(base, scope.policy), now);
  }
  return undefined;
}

/** Why an item is not certified now, as a sentence: "certification lapsed on <date>" or never certified. */
export function lapseReason(s: ItemStatus): string {
  if (s.due) return `certification lapsed on ${isoSeconds(s.due)}`;
  return `certification lapsed: ${s.item.kind} ${s.item.name} has no merged certification (access/certifications/${s.policy}.yaml does not list it)`;
}

/** An RFC 3339 time without milliseconds, as records and messages show times. */
export function isoSeconds(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, "Z");
}
