import type { ActivityEntry, ActivityProvider } from "../core/activity/activity-entry.js";
import {
  buildActivityRecord,
  type ActivityRecord,
  type LogSource,
} from "../core/activity/activity-record.js";
import type { ActivityWindow } from "../core/activity/activity-window.js";

/** A cloud's audit log, read for a batch of windows (one query per project or subscription, not per window). */
export interface ActivityReader {
  provider: ActivityProvider;
  read(windows: readonly ActivityWindow[]): Promise<{ entries: ActivityEntry[]; sources: LogSource[] }>;
}

/**
 * The activity record of each window, from its cloud's audit log. A cloud with no reader, or whose
 * log could not be read, gets a record that says so (never "no activity": an unread log proves nothing).
 */
export async function recordActivity(
  readers: readonly ActivityReader[],
  windows: readonly ActivityWindow[],
): Promise<ActivityRecord[]> {
  const byProvider = new Map<ActivityProvider, ActivityWindow[]>();
  for (const w of windows) byProvider.set(w.provider, [...(byProvider.get(w.provider) ?? []), w]);
  const out = new Map<ActivityWindow, ActivityRecord>();
  for (const [provider, ws] of byProvider) {
    const reader = readers.find((r) => r.provider === provider);
    let result: { entries: ActivityEntry[]; sources: LogSource[] };
    if (!reader)
      result = {
        entries: [],
        sources: [
          { log: logOf(provider), available: false, note: `no ${provider} audit log reader is configured` },
        ],
      };
    else
      try {
        result = await reader.read(ws);
      } catch (e) {
        result = {
          entries: [],
          sources: [
            { log: logOf(provider), available: false, note: `could not be read: ${(e as Error).message}` },
          ],
        };
      }
    for (const w of ws) out.set(w, buildActivityRecord(w, result.entries, result.sources));
  }
  return windows.map((w) => out.get(w)!);
}

function logOf(provider: ActivityProvider): LogSource["log"] {
  return provider === "gcp" ? "admin-activity" : provider === "azure" ? "activity-log" : "kubernetes-audit";
}
