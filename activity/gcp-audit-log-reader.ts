import type { ActivityEntry } from "../core/activity/activity-entry.js";
import type { LogSource } from "../core/activity/activity-record.js";
import { windowIdentities, type ActivityWindow } from "../core/activity/activity-window.js";
import { gcpAuditEntry, gcpAuditFilter } from "../core/activity/gcp-audit-entry.js";
import type { ActivityReader } from "../app/activity-record.js";
import { googleRest, type GoogleRestOptions } from "./google-rest.js";

/** Entries per entries.list page: the API's maximum, so a window costs as few calls of the 60-a-minute quota as it can. */
export const ENTRIES_PAGE_SIZE = 1000;

interface ListResponse {
  entries?: unknown[];
  nextPageToken?: string;
}

/**
 * Reads Cloud Audit Logs through Cloud Logging entries.list (`POST /v2/entries:list`). Windows are
 * batched per project: one filter names every principal and the span covering them all, paged with
 * `pageToken`; entries are then assigned to windows on the client. Needs `roles/logging.viewer`, and
 * `roles/logging.privateLogViewer` for Data Access logs.
 */
export function gcpAuditLogReader(opts: GoogleRestOptions = {}): ActivityReader {
  const call = googleRest("https://logging.googleapis.com", opts);
  return {
    provider: "gcp",
    async read(windows: readonly ActivityWindow[]) {
      const byProject = new Map<string, ActivityWindow[]>();
      for (const w of windows) for (const s of w.scopes) byProject.set(s, [...(byProject.get(s) ?? []), w]);
      const entries: ActivityEntry[] = [];
      let dataAccess = 0;
      for (const [project, ws] of byProject) {
        const start = ws.map((w) => w.start).sort()[0]!;
        const end = ws
          .map((w) => w.end)
          .sort()
          .at(-1)!;
        const filter = gcpAuditFilter([...new Set(ws.flatMap(windowIdentities))], start, end);
        let pageToken: string | undefined;
        do {
          const page: ListResponse = await call<ListResponse>("POST", "/v2/entries:list", {
            resourceNames: [project],
            filter,
            orderBy: "timestamp asc",
            pageSize: ENTRIES_PAGE_SIZE,
            ...(pageToken ? { pageToken } : {}),
          });
          for (const raw of page.entries ?? []) {
            const e = gcpAuditEntry(raw);
            if (!e) continue;
            if (e.log === "data-access") dataAccess++;
            entries.push(e);
          }
          pageToken = page.nextPageToken || undefined;
        } while (pageToken);
      }
      const sources: LogSource[] = [
        { log: "admin-activity", available: true, note: "Admin Activity audit logs are always on" },
        {
          log: "data-access",
          available: dataAccess > 0,
          note:
            dataAccess > 0
              ? "Data Access audit logs are on for the services called"
              : "no Data Access entries: reads are only logged where Data Access audit logs are enabled (off by default except BigQuery)",
        },
      ];
      return { entries, sources };
    },
  };
}
