import { createHash } from "node:crypto";
import type { CloudCall, CloudReply, CloudRequest } from "../types.js";
import { ArmError } from "./arm-errors.js";

/** `GET /subscriptions/S/providers/Microsoft.Insights/eventtypes/management/values` (https://learn.microsoft.com/rest/api/monitor/activity-logs/list). */
export const ACTIVITY_LOG_ROUTE =
  /^\/subscriptions\/([^/]+)\/providers\/Microsoft\.Insights\/eventtypes\/management\/values$/i;

/** The Activity Log keeps 90 days. */
export const ACTIVITY_RETENTION_DAYS = 90;
const PAGE = 200;

const named = (value: string) => ({ value, localizedValue: value });

function eventData(call: CloudCall, tenantId: string): Record<string, unknown> {
  const a = call.audit!;
  const id = createHash("sha256")
    .update(`${call.time}|${a.resourceName}|${a.methodName}|${call.caller!.principal}`)
    .digest("hex");
  const eventDataId = `${id.slice(0, 8)}-${id.slice(8, 12)}-${id.slice(12, 16)}-${id.slice(16, 20)}-${id.slice(20, 32)}`;
  const rg = /\/resourceGroups\/([^/]+)/i.exec(a.resourceName)?.[1];
  return {
    authorization: { action: a.permission, scope: a.resourceName },
    caller: call.caller!.principal,
    channels: "Operation",
    claims: { oid: call.caller!.principal },
    correlationId: eventDataId,
    eventDataId,
    eventName: named("EndRequest"),
    category: named("Administrative"),
    id: `${a.resourceName}/events/${eventDataId}/ticks/${Date.parse(call.time!) * 10_000}`,
    level: a.granted ? "Informational" : "Error",
    operationName: named(a.methodName),
    resourceGroupName: rg,
    resourceProviderName: named(a.serviceName),
    resourceId: a.resourceName,
    status: named(a.granted ? "Succeeded" : "Failed"),
    subStatus: named(a.granted ? "OK" : "Forbidden"),
    eventTimestamp: call.time,
    submissionTimestamp: call.loggedAt,
    subscriptionId: a.container,
    tenantId,
    properties: { statusCode: a.granted ? "OK" : "Forbidden" },
  };
}

interface Filter {
  from: number;
  to: number;
  resourceGroup?: string;
}

function parseFilter(raw: string | null, now: number): Filter {
  if (!raw)
    throw new ArmError(
      400,
      "BadRequest",
      "The $filter query parameter is required and must include eventTimestamp ge '…' and eventTimestamp le '…'.",
    );
  const f: Partial<Filter> = {};
  for (const term of raw.split(/\s+and\s+/i).map((t) => t.trim())) {
    let m: RegExpExecArray | null;
    if ((m = /^eventTimestamp\s+ge\s+'([^']+)'$/i.exec(term))) f.from = Date.parse(m[1]!);
    else if ((m = /^eventTimestamp\s+le\s+'([^']+)'$/i.exec(term))) f.to = Date.parse(m[1]!);
    else if ((m = /^resourceGroupName\s+eq\s+'([^']+)'$/i.exec(term))) f.resourceGroup = m[1]!.toLowerCase();
    else
      throw new ArmError(
        400,
        "BadRequest",
        `The filter term "${term}" is not supported; accepted: eventTimestamp ge/le, resourceGroupName eq (the caller cannot be filtered on).`,
      );
  }
  if (f.from === undefined || Number.isNaN(f.from))
    throw new ArmError(400, "BadRequest", "The $filter must include eventTimestamp ge '…' (RFC 3339).");
  // Without an end, ARM reads up to now.
  const to = f.to === undefined || Number.isNaN(f.to) ? now : f.to;
  return {
    from: Math.max(f.from, now - ACTIVITY_RETENTION_DAYS * 86_400_000),
    to,
    ...(f.resourceGroup ? { resourceGroup: f.resourceGroup } : {}),
  };
}

/** The Activity Log of each subscription, made from the write calls it received, paged by `nextLink`. */
export function answerActivityLog(
  req: CloudRequest,
  calls: readonly CloudCall[],
  now: Date,
  baseUrl: () => string,
  tenantId = "72f988bf-86f1-41af-91ab-2d7cd011db47",
): CloudReply {
  const m = ACTIVITY_LOG_ROUTE.exec(req.path);
  if (!m || req.method !== "GET")
    throw new ArmError(
      404,
      "NotFound",
      `No HTTP resource was found that matches the request URI '${req.path}'.`,
    );
  const v = req.query.get("api-version");
  if (v !== "2015-04-01")
    throw new ArmError(
      400,
      v ? "InvalidApiVersionParameter" : "MissingApiVersionParameter",
      `The api-version '${v ?? ""}' is invalid. The supported versions are '2015-04-01'.`,
    );
  const f = parseFilter(req.query.get("$filter"), now.getTime());
  const sub = m[1]!.toLowerCase();
  const events = calls
    .filter(
      (c) =>
        c.service === "azure" &&
        c.audit?.log === "activity-log" &&
        c.caller &&
        c.time &&
        c.loggedAt &&
        Date.parse(c.loggedAt) <= now.getTime() &&
        c.audit.container.toLowerCase() === sub &&
        Date.parse(c.time) >= f.from &&
        Date.parse(c.time) <= f.to &&
        (!f.resourceGroup ||
          c.audit.resourceName.toLowerCase().includes(`/resourcegroups/${f.resourceGroup}/`)),
    )
    .map((c) => eventData(c, tenantId))
    // Newest first, as the Activity Log answers.
    .reverse();
  const from = Number(req.query.get("$skipToken") ?? "0") || 0;
  const page = events.slice(from, from + PAGE);
  const next = new URLSearchParams(req.query);
  next.set("$skipToken", String(from + PAGE));
  return {
    status: 200,
    body: {
      value: page,
      ...(from + PAGE < events.length ? { nextLink: `${baseUrl()}${req.path}?${next.toString()}` } : {}),
    },
  };
}
