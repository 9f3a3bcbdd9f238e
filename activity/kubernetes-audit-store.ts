import type { ActivityEntry } from "../core/activity/activity-entry.js";
import type { ActivityWindow } from "../core/activity/activity-window.js";
import type { ActivityReader } from "../app/activity-record.js";
import type { Clock } from "../core/clock.js";

/** Most Kubernetes audit entries one bot instance holds; the oldest go first. */
export const DEFAULT_K8S_AUDIT_ENTRIES = 50_000;

/**
 * Kubernetes audit entries received by this instance, per cluster, bounded. There is no database:
 * entries live in memory until the windows they belong to are recorded (onto the revert PR), so a
 * restart, another replica, or more than `maxEntries` entries lose those not yet recorded; the
 * record says since when this instance has been receiving.
 */
export class KubernetesAuditStore {
  private readonly entries: ActivityEntry[] = [];
  private readonly since = new Map<string, string>();
  private readonly ids = new Set<string>();

  constructor(
    private readonly now: Clock,
    private readonly maxEntries = DEFAULT_K8S_AUDIT_ENTRIES,
  ) {}

  /** Adds a batch from one cluster; repeats (a resent batch) are dropped by audit id. */
  add(cluster: string, batch: readonly ActivityEntry[]): number {
    if (!this.since.has(cluster)) this.since.set(cluster, this.now().toISOString());
    let added = 0;
    for (const e of batch) {
      const key = `${cluster}\u0000${e.id}`;
      if (this.ids.has(key)) continue;
      this.ids.add(key);
      this.entries.push({ ...e, id: key.replace("\u0000", "/") });
      added++;
    }
    while (this.entries.length > this.maxEntries) {
      const old = this.entries.shift()!;
      this.ids.delete(old.id.replace("/", "\u0000"));
      const cluster0 = old.id.split("/")[0]!;
      // The window of this cluster now starts after the dropped entry.
      this.since.set(cluster0, old.time);
    }
    return added;
  }

  /** The reader the activity use case takes: entries of the windows' clusters, and since when they are known. */
  reader(): ActivityReader {
    return {
      provider: "kubernetes",
      read: async (windows: readonly ActivityWindow[]) => {
        const clusters = new Set(windows.flatMap((w) => w.scopes));
        const entries = this.entries.filter((e) => clusters.has(e.id.split("/")[0]!));
        const since = [...clusters].map((c) => this.since.get(c));
        const start = windows.map((w) => w.start).sort()[0] ?? "";
        const missing = since.some((s) => s === undefined);
        const late = since.some((s) => s !== undefined && s > start);
        return {
          entries,
          sources: [
            {
              log: "kubernetes-audit",
              available: !missing,
              note: missing
                ? "no audit events received from the cluster by this instance (webhook backend not configured, or the bot restarted)"
                : `held in memory by this bot instance since ${since.sort()[0]}${late ? ": calls before that are not known" : ""}; a restart loses events not yet recorded`,
            },
          ],
        };
      },
    };
  }
}
