import type { ActivityEntry, ActivityLog } from "./activity-entry.js";
import { entryInWindow, type ActivityWindow } from "./activity-window.js";

/** Whether a log could be read for a window, and what the reader should know about it. */
export interface LogSource {
  log: ActivityLog;
  available: boolean;
  note: string;
}

/** Calls of one service, method and resource. */
export interface CallGroup {
  service: string;
  method: string;
  resource: string;
  calls: number;
  denied: number;
}

/** What a principal did with its access in one window, from the cloud's own audit logs. */
export interface ActivityRecord {
  window: ActivityWindow;
  sources: LogSource[];
  /** By service, method and resource; most calls first. */
  groups: CallGroup[];
  calls: number;
  denied: number;
  first?: string;
  last?: string;
  /** Permissions exercised by calls the cloud allowed, sorted. */
  permissions: string[];
  /** Permissions of refused calls, sorted. */
  deniedPermissions: string[];
  /** No call at all in logs that could be read: access nobody used. */
  noActivity: boolean;
  /** Every entry, oldest first (ids are unique). */
  entries: ActivityEntry[];
}

const sorted = (xs: Iterable<string>) => [...new Set(xs)].sort();

function summarise(window: ActivityWindow, sources: LogSource[], entries: ActivityEntry[]): ActivityRecord {
  const groups = new Map<string, CallGroup>();
  for (const e of entries) {
    const key = `${e.service}\u0000${e.method}\u0000${e.resource}`;
    const g = groups.get(key) ?? {
      service: e.service,
      method: e.method,
      resource: e.resource,
      calls: 0,
      denied: 0,
    };
    g.calls++;
    if (e.denied) g.denied++;
    groups.set(key, g);
  }
  return {
    window,
    sources,
    groups: [...groups.values()].sort(
      (a, b) =>
        b.calls - a.calls ||
        a.service.localeCompare(b.service) ||
        a.method.localeCompare(b.method) ||
        a.resource.localeCompare(b.resource),
    ),
    calls: entries.length,
    denied: entries.filter((e) => e.denied).length,
    ...(entries.length > 0 ? { first: entries[0]!.time, last: entries[entries.length - 1]!.time } : {}),
    permissions: sorted(entries.filter((e) => !e.denied).flatMap((e) => e.permissions)),
    deniedPermissions: sorted(entries.filter((e) => e.denied).flatMap((e) => e.permissions)),
    // "Nobody used it" needs a log that could be read; an unreadable log proves nothing.
    noActivity: entries.length === 0 && sources.some((x) => x.available),
    entries,
  };
}

function ordered(entries: ActivityEntry[]): ActivityEntry[] {
  const byId = new Map<string, ActivityEntry>();
  for (const e of entries) if (!byId.has(e.id)) byId.set(e.id, e);
  return [...byId.values()].sort(
    (a, b) => Date.parse(a.time) - Date.parse(b.time) || a.id.localeCompare(b.id),
  );
}

/**
 * The record of a window from entries read from its cloud's logs: only the window's principal
 * (or whoever acted on its behalf) within its span counts, and a log entry seen twice counts once.
 */
export function buildActivityRecord(
  window: ActivityWindow,
  entries: readonly ActivityEntry[],
  sources: LogSource[],
): ActivityRecord {
  return summarise(window, sources, ordered(entries.filter((e) => entryInWindow(e, window))));
}

/**
 * Adds entries that reached the logs after the record was made (audit logs arrive minutes late);
 * `added` holds only the entries it did not have, so a caller posts an update only when there is one.
 */
export function appendActivity(
  record: ActivityRecord,
  entries: readonly ActivityEntry[],
): { record: ActivityRecord; added: ActivityEntry[] } {
  const known = new Set(record.entries.map((e) => e.id));
  const added = ordered(entries.filter((e) => !known.has(e.id) && entryInWindow(e, record.window)));
  if (added.length === 0) return { record, added };
  return { record: summarise(record.window, record.sources, ordered([...record.entries, ...added])), added };
}
