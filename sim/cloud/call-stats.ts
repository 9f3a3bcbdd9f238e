import type { CloudCall, CloudService } from "./types.js";

/** Call totals split into reads and writes. */
export interface CallCounts {
  total: number;
  reads: number;
  writes: number;
}

/** Counts calls, optionally of one service. */
export function countCalls(calls: readonly CloudCall[], service?: CloudService): CallCounts {
  const mine = service ? calls.filter((c) => c.service === service) : calls;
  const reads = mine.filter((c) => c.kind === "read").length;
  return { total: mine.length, reads, writes: mine.length - reads };
}

/** Reads per resource (`service:resource` → count), optionally of one service. */
export function readsPerResource(
  calls: readonly CloudCall[],
  service?: CloudService,
): Record<string, number> {
  const out: Record<string, number> = {};
  for (const c of calls) {
    if (c.kind !== "read" || (service && c.service !== service)) continue;
    const key = `${c.service}:${c.resource}`;
    out[key] = (out[key] ?? 0) + 1;
  }
  return out;
}
