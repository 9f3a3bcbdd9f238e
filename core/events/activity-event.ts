import type { ActivityRecord } from "../activity/activity-record.js";
import { eventId } from "./build-events.js";
import { LIFECYCLE_SCHEMA_VERSION, type ActivityEvent } from "./lifecycle-event.js";

/**
 * The `activity` event of a record. Its id covers the entries it counts, so the same record emitted
 * twice is one fact, and a record that gained late log entries is a new one.
 */
export function activityEvent(record: ActivityRecord, repository: string, now: Date): ActivityEvent {
  const w = record.window;
  const s = w.subject;
  const subject = s.kind === "grant" ? `request:${s.request}` : `workload:${s.workload}`;
  return {
    schemaVersion: LIFECYCLE_SCHEMA_VERSION,
    id: eventId(
      "activity",
      repository,
      subject,
      w.provider,
      w.principal,
      w.start,
      w.end,
      ...record.entries.map((e) => e.id),
    ),
    type: "activity",
    time: now.toISOString(),
    repository,
    ...(s.kind === "grant"
      ? {
          request: {
            name: s.request,
            principal: w.principal,
            ...(s.entitlement ? { entitlement: s.entitlement } : {}),
          },
        }
      : { workload: s.workload }),
    provider: w.provider,
    start: w.start,
    end: w.end,
    calls: record.calls,
    denied: record.denied,
    ...(record.first ? { first: record.first } : {}),
    ...(record.last ? { last: record.last } : {}),
    permissions: record.permissions,
    noActivity: record.noActivity,
    logs: record.sources.filter((x) => x.available).map((x) => x.log),
  };
}
