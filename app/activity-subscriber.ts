import { appendActivity, type ActivityRecord } from "../core/activity/activity-record.js";
import { collectAt, windowKey, type ActivityWindow } from "../core/activity/activity-window.js";
import { renderActivityMarkdown } from "../core/activity/render-activity.js";
import { activityEvent } from "../core/events/activity-event.js";
import type { GrantEvent, LifecycleEvent } from "../core/events/lifecycle-event.js";
import { recordActivity, type ActivityReader } from "./activity-record.js";
import type { Subscriber } from "./lifecycle-bus.js";
import { LruCache } from "../core/lru-cache.js";

/** Audit logs arrive minutes late: GCP's within about 5 minutes, Azure's Activity Log within about 15. */
export const DEFAULT_SETTLE_MS = 15 * 60_000;
/** A second read this long after the first appends what arrived later still. */
export const DEFAULT_LATE_MS = 60 * 60_000;

/** What the activity subscriber needs: where the windows and logs are, and where the record goes. */
export interface ActivitySubscriberDeps {
  repository: string;
  readers: readonly ActivityReader[];
  /**
   * Every window the request's grant closed, in every cloud (from the merged request and policy, e.g.
   * with `grantWindows`): Azure PIM schedules end by themselves, so a request's GCP or Kubernetes
   * removal is often the only event there is.
   */
  windowsOf(event: GrantEvent): Promise<ActivityWindow[]>;
  /** Posts the record: a comment on the revert PR; for break-glass grants also the post-incident review issue. */
  post(event: GrantEvent, markdown: string, records: ActivityRecord[], update: boolean): Promise<void>;
  emit(event: LifecycleEvent): void;
  /** Runs `task` at `at` (a timer, or a lease-guarded job queue on replicas); a restart before then loses it. */
  schedule(at: Date, task: () => Promise<void>): void;
  now(): Date;
  settleMs?: number;
  lateMs?: number;
}

/**
 * On `expired` and `revoked`, reads what the principal did in each window once the clouds' logs have
 * settled, posts the record and emits an `activity` event per cloud; then reads once more later and
 * appends entries that arrived since (posting and emitting only when there are some).
 */
export function activitySubscriber(deps: ActivitySubscriberDeps): Subscriber {
  const settle = deps.settleMs ?? DEFAULT_SETTLE_MS;
  const late = deps.lateMs ?? DEFAULT_LATE_MS;
  const publish = (records: ActivityRecord[]) => {
    for (const r of records) deps.emit(activityEvent(r, deps.repository, deps.now()));
  };
  // Each removal of a request's bindings names the same windows; read them once per instance.
  const seen = new LruCache<true>({ entries: 10_000, bytes: 4 * 1024 * 1024 });
  return {
    name: "activity",
    async handle(event) {
      if (event.type !== "expired" && event.type !== "revoked") return;
      const windows = (await deps.windowsOf(event)).filter((w) => !seen.has(windowKey(w)));
      if (windows.length === 0) return;
      for (const w of windows) seen.set(windowKey(w), true);
      const at = new Date(
        Math.max(...windows.map((w) => collectAt(w, settle).getTime()), deps.now().getTime()),
      );
      deps.schedule(at, async () => {
        const first = await recordActivity(deps.readers, windows);
        await deps.post(event, renderActivityMarkdown(first), first, false);
        publish(first);
        deps.schedule(new Date(deps.now().getTime() + late), async () => {
          const again = await recordActivity(deps.readers, windows);
          const merged = first.map((r, i) => appendActivity(r, again[i]?.entries ?? []));
          if (merged.every((m) => m.added.length === 0)) return;
          const records = merged.map((m) => m.record);
          await deps.post(event, renderActivityMarkdown(records), records, true);
          publish(merged.filter((m) => m.added.length > 0).map((m) => m.record));
        });
      });
    },
  };
}
