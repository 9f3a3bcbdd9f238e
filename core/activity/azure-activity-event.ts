import type { ActivityEntry } from "./activity-entry.js";

type Json = Record<string, unknown>;
const obj = (v: unknown): Json | undefined =>
  v !== null && typeof v === "object" && !Array.isArray(v) ? (v as Json) : undefined;
const str = (v: unknown): string | undefined => (typeof v === "string" && v !== "" ? v : undefined);
/** `{value, localizedValue}` as the Activity Log spells names. */
const name = (v: unknown): string | undefined => str(obj(v)?.value) ?? str(v);

/**
 * One Azure Activity Log event (`EventData` of `eventtypes/management/values`) as an activity entry;
 * undefined without a caller or time. Only write operations reach the Activity Log; a refused one has
 * status `Failed` and sub-status `Forbidden`, or an `AuthorizationFailed` message.
 * See https://learn.microsoft.com/azure/azure-monitor/essentials/activity-log-schema.
 */
export function azureActivityEntry(raw: unknown): ActivityEntry | undefined {
  const e = obj(raw);
  const caller = str(e?.caller);
  const time = str(e?.eventTimestamp);
  const id = str(e?.eventDataId) ?? str(e?.id);
  if (!e || !caller || !time || !id) return undefined;
  // Only Administrative events are calls a principal made; Policy, Autoscale and the like are not.
  const category = name(e.category);
  if (category !== undefined && category !== "Administrative") return undefined;
  const operation = name(e.operationName) ?? "unknown";
  const action = str(obj(e.authorization)?.action) ?? operation;
  const status = name(e.status);
  const sub = name(e.subStatus) ?? "";
  const message = JSON.stringify(obj(e.properties) ?? {});
  const denied =
    status === "Failed" &&
    (/^Forbidden$/i.test(sub) || /AuthorizationFailed/.test(message) || sub === "Unauthorized");
  // The service principal's application id: callers of app-only tokens may be logged by either id.
  const appid = str(obj(e.claims)?.appid);
  return {
    provider: "azure",
    log: "activity-log",
    id,
    time,
    principal: caller,
    ...(appid && appid.toLowerCase() !== caller.toLowerCase() ? { application: appid } : {}),
    service: name(e.resourceProviderName) ?? operation.split("/")[0] ?? "unknown",
    method: operation,
    resource: str(e.resourceId) ?? str(obj(e.authorization)?.scope) ?? "",
    permissions: [action],
    denied,
  };
}

/**
 * The Activity Log `$filter` for a time window. The documented filter cannot name the caller
 * (https://learn.microsoft.com/rest/api/monitor/activity-logs/list), so callers are matched on the client.
 */
export function azureActivityFilter(start: string, end: string): string {
  return `eventTimestamp ge '${start}' and eventTimestamp le '${end}'`;
}
