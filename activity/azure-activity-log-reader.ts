import { MonitorClient } from "@azure/arm-monitor";
import type { TokenCredential } from "@azure/identity";
import type { ActivityEntry } from "../core/activity/activity-entry.js";
import type { Clock } from "../core/clock.js";
import { azureActivityEntry, azureActivityFilter } from "../core/activity/azure-activity-event.js";
import type { ActivityWindow } from "../core/activity/activity-window.js";
import type { ActivityReader } from "../app/activity-record.js";
import { armClientOptions, useLoopbackBearer, type ArmEndpointOptions } from "./arm-loopback.js";

/** The Activity Log keeps 90 days of events. */
export const ACTIVITY_LOG_RETENTION_DAYS = 90;

/**
 * Reads the Azure Activity Log (`eventtypes/management/values`) through `@azure/arm-monitor`, one
 * query per subscription over the span of its windows. The documented `$filter` cannot name the
 * caller, so callers are matched on the client. Needs Reader (`Microsoft.Insights/eventtypes/values/read`).
 * `now` tells which windows are past the log's retention.
 */
export function azureActivityLogReader(
  credential: TokenCredential,
  opts: ArmEndpointOptions & { now: Clock },
): ActivityReader {
  return {
    provider: "azure",
    async read(windows: readonly ActivityWindow[]) {
      const bySub = new Map<string, ActivityWindow[]>();
      for (const w of windows)
        for (const s of w.scopes) {
          const sub = /^\/subscriptions\/([^/]+)/i.exec(s)?.[1];
          if (sub) bySub.set(sub, [...(bySub.get(sub) ?? []), w]);
        }
      const entries: ActivityEntry[] = [];
      for (const [sub, ws] of bySub) {
        const client = new MonitorClient(credential, sub, armClientOptions(opts));
        useLoopbackBearer(client.pipeline, credential, opts);
        const start = ws.map((w) => w.start).sort()[0]!;
        const end = ws
          .map((w) => w.end)
          .sort()
          .at(-1)!;
        for await (const event of client.activityLogs.list(azureActivityFilter(start, end))) {
          // The SDK turns timestamps into Dates; the parser reads the wire's JSON form.
          const e = azureActivityEntry(JSON.parse(JSON.stringify(event)));
          if (e) entries.push(e);
        }
      }
      const now = opts.now().getTime();
      const oldest = windows.map((w) => Date.parse(w.start)).sort((a, b) => a - b)[0] ?? now;
      const expired = now - oldest > ACTIVITY_LOG_RETENTION_DAYS * 86_400_000;
      return {
        entries,
        sources: [
          {
            log: "activity-log",
            available: true,
            note: `write operations only (reads never reach the Activity Log); kept ${ACTIVITY_LOG_RETENTION_DAYS} days${expired ? ": calls older than that are gone" : ""}`,
          },
        ],
      };
    },
  };
}
