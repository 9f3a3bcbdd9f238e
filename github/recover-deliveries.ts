import type { GitHubClient } from "./client.js";

/** One attempt as `GET /app/hook/deliveries` lists it (the fields recovery reads). */
interface DeliveryAttempt {
  id: number;
  guid: string;
  delivered_at: string;
  status_code: number;
  event: string;
  action?: string | null;
}

/** What one recovery pass looked at and redelivered. */
export interface RecoveryReport {
  /** Attempts read (newest first, back to `since`). */
  attempts: number;
  /** GUIDs with no successful attempt that were asked to be redelivered. */
  redelivered: { guid: string; event: string; action: string | null }[];
  /** GUIDs left alone: refused for good (4xx) or out of attempts. */
  givenUp: string[];
}

/** Options of a recovery pass. */
export interface RecoveryOptions {
  /** Look at attempts delivered at or after this time (GitHub keeps 3 days). */
  since: Date;
  /** A GUID with this many failed attempts is not redelivered again (default 3). */
  maxAttempts?: number;
  /** Redeliver at most this many GUIDs per pass (default 50): a backlog drains over several passes. */
  maxRedeliveries?: number;
}

/** 2xx: the bot answered; 4xx but 408/429: it refused the delivery itself, so a retry would fail the same way. */
const succeeded = (code: number) => code >= 200 && code < 300;
const refused = (code: number) => code >= 400 && code < 500 && code !== 408 && code !== 429;

/**
 * GitHub never retries a failed webhook delivery but keeps them for 3 days: list the App's
 * deliveries (App JWT), group attempts by GUID, and ask GitHub to redeliver each GUID that never
 * got a successful answer (no answer, a timeout, a 5xx). The handler dedupes by GUID, so a
 * delivery that did succeed on another replica is not acted on twice.
 */
export async function recoverDeliveries(app: GitHubClient, opts: RecoveryOptions): Promise<RecoveryReport> {
  const maxAttempts = opts.maxAttempts ?? 3;
  const maxRedeliveries = opts.maxRedeliveries ?? 50;
  const since = opts.since.getTime();
  const byGuid = new Map<string, DeliveryAttempt[]>();
  let attempts = 0;
  // Newest first: stop paging once a page reaches back before `since`.
  for await (const page of app.paginate.iterator("GET /app/hook/deliveries", { per_page: 100 })) {
    const items = page.data as unknown as DeliveryAttempt[];
    let older = false;
    for (const a of items) {
      if (Date.parse(a.delivered_at) < since) {
        older = true;
        continue;
      }
      attempts++;
      byGuid.set(a.guid, [...(byGuid.get(a.guid) ?? []), a]);
    }
    if (older) break;
  }
  const report: RecoveryReport = { attempts, redelivered: [], givenUp: [] };
  for (const [guid, tries] of byGuid) {
    if (tries.some((a) => succeeded(a.status_code))) continue;
    if (tries.some((a) => refused(a.status_code)) || tries.length >= maxAttempts) {
      report.givenUp.push(guid);
      continue;
    }
    if (report.redelivered.length >= maxRedeliveries) break;
    const latest = tries.reduce((a, b) => (b.id > a.id ? b : a));
    await app.request("POST /app/hook/deliveries/{delivery_id}/attempts", { delivery_id: latest.id });
    report.redelivered.push({ guid, event: latest.event, action: latest.action ?? null });
  }
  return report;
}
