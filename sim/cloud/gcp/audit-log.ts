import { GcpError } from "../../shared/gcp-error.js";
import { parseJsonObject } from "../../shared/parse-json-object.js";
import type { CloudCall, CloudReply, CloudRequest } from "../types.js";

/** `POST /v2/entries:list` (https://cloud.google.com/logging/docs/reference/v2/rest/v2/entries/list). */
export const ENTRIES_LIST_ROUTE = /^\/v2\/entries:list$/;

/** Cloud Logging's read quota: 60 entries.list calls a minute per project. */
export const ENTRIES_LIST_PER_MINUTE = 60;

const PRINCIPAL_FIELDS = [
  "protoPayload.authenticationInfo.principalEmail",
  "protoPayload.authenticationInfo.principalSubject",
  "protoPayload.authenticationInfo.serviceAccountDelegationInfo.firstPartyPrincipal.principalEmail",
];

interface Filter {
  auditOnly: boolean;
  from?: number;
  fromInclusive: boolean;
  to?: number;
  toInclusive: boolean;
  /** Per field, the values any of which matches (OR). */
  principals: { field: string; value: string }[];
}

const unquote = (s: string) => s.slice(1, -1).replace(/\\(.)/g, "$1");
const QUOTED = '"(?:[^"\\\\]|\\\\.)*"';

/** Splits on a keyword outside quotes and parentheses. */
function splitTop(text: string, word: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quoted = false;
  let from = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === "\\" && quoted) i++;
    else if (c === '"') quoted = !quoted;
    else if (!quoted && c === "(") depth++;
    else if (!quoted && c === ")") depth--;
    else if (!quoted && depth === 0 && text.startsWith(` ${word} `, i)) {
      parts.push(text.slice(from, i).trim());
      from = i + word.length + 2;
      i = from - 1;
    }
  }
  parts.push(text.slice(from).trim());
  return parts;
}

/**
 * The part of the Logging query language the simulator understands: `logName:"cloudaudit.googleapis.com"`,
 * `timestamp` comparisons and a parenthesised OR of principal fields, joined by AND. Anything else is a
 * 400, so a product change to the filter is seen by its tests instead of silently matching everything.
 */
function parseFilter(text: string): Filter {
  const f: Filter = { auditOnly: false, fromInclusive: true, toInclusive: true, principals: [] };
  if (text.trim() === "") return f;
  for (const term of splitTop(text.trim(), "AND")) {
    let m: RegExpExecArray | null;
    if (term === 'logName:"cloudaudit.googleapis.com"') f.auditOnly = true;
    else if ((m = new RegExp(`^timestamp\\s*(>=|>|<=|<)\\s*(${QUOTED})$`).exec(term))) {
      const t = Date.parse(unquote(m[2]!));
      if (Number.isNaN(t)) throw new GcpError(400, `Invalid timestamp in filter term: ${term}`);
      if (m[1]!.startsWith(">")) [f.from, f.fromInclusive] = [t, m[1] === ">="];
      else [f.to, f.toInclusive] = [t, m[1] === "<="];
    } else if (term.startsWith("(") && term.endsWith(")")) {
      for (const alt of splitTop(term.slice(1, -1).trim(), "OR")) {
        const a = new RegExp(`^([\\w.]+)=(${QUOTED})$`).exec(alt);
        if (!a || !PRINCIPAL_FIELDS.includes(a[1]!))
          throw new GcpError(400, `Unsupported filter term (simulator): ${alt}`);
        f.principals.push({ field: a[1]!, value: unquote(a[2]!) });
      }
    } else throw new GcpError(400, `Unsupported filter term (simulator): ${term}`);
  }
  return f;
}

const email = (member: string) => member.replace(/^[a-zA-Z]+:/, "");

/** A call's Cloud Audit Logs entry, as Cloud Logging returns it. */
export function auditEntry(call: CloudCall, index: number): Record<string, unknown> {
  const a = call.audit!;
  const caller = call.caller!;
  const logId = a.log === "activity" ? "activity" : "data_access";
  return {
    logName: `${a.container}/logs/cloudaudit.googleapis.com%2F${logId}`,
    resource: {
      type: "audited_resource",
      labels: {
        service: a.serviceName,
        method: a.methodName,
        project_id: a.container.replace(/^projects\//, ""),
      },
    },
    timestamp: call.time,
    receiveTimestamp: call.loggedAt,
    insertId: `sim${String(index).padStart(8, "0")}`,
    severity: a.granted ? "INFO" : "ERROR",
    protoPayload: {
      "@type": "type.googleapis.com/google.cloud.audit.AuditLog",
      serviceName: a.serviceName,
      methodName: a.methodName,
      resourceName: a.resourceName,
      authenticationInfo: {
        principalEmail: email(caller.principal),
        ...(caller.delegatedBy
          ? {
              serviceAccountDelegationInfo: [
                { firstPartyPrincipal: { principalEmail: email(caller.delegatedBy) } },
              ],
            }
          : {}),
      },
      authorizationInfo: [{ resource: a.resourceName, permission: a.permission, granted: a.granted }],
      ...(a.granted ? {} : { status: { code: 7, message: "PERMISSION_DENIED" } }),
    },
  };
}

function matches(entry: Record<string, unknown>, f: Filter): boolean {
  const t = Date.parse(entry.timestamp as string);
  if (f.from !== undefined && (f.fromInclusive ? t < f.from : t <= f.from)) return false;
  if (f.to !== undefined && (f.toInclusive ? t > f.to : t >= f.to)) return false;
  if (f.principals.length === 0) return true;
  const auth = (entry.protoPayload as { authenticationInfo: Record<string, unknown> }).authenticationInfo;
  const delegated = (
    auth.serviceAccountDelegationInfo as { firstPartyPrincipal: { principalEmail: string } }[] | undefined
  )?.[0]?.firstPartyPrincipal.principalEmail;
  return f.principals.some(({ field, value }) =>
    field.endsWith("principalEmail") && !field.includes("Delegation")
      ? auth.principalEmail === value
      : field.endsWith("principalSubject")
        ? auth.principalSubject === value
        : delegated === value,
  );
}

/** Reads Cloud Audit Logs entries made from the call log: per project, in time order, paged. */
export class AuditLogReader {
  private readonly reads = new Map<string, number[]>();

  constructor(
    private readonly calls: () => readonly CloudCall[],
    private readonly clock: () => Date,
    private readonly dataAccessOn: (project: string) => boolean,
  ) {}

  /** Every entry that has reached the logs by now (Data Access only where enabled). */
  entries(): Record<string, unknown>[] {
    const now = this.clock().getTime();
    const out: Record<string, unknown>[] = [];
    this.calls().forEach((c, i) => {
      if (c.service !== "gcp" || !c.audit || !c.caller || !c.time || !c.loggedAt) return;
      if (Date.parse(c.loggedAt) > now) return;
      if (c.audit.log === "data_access" && !this.dataAccessOn(c.audit.container)) return;
      out.push(auditEntry(c, i));
    });
    return out;
  }

  /** `entries.list`: `resourceNames` (projects), `filter`, `orderBy`, `pageSize` (default 50, at most 1000), `pageToken`. */
  answer(req: CloudRequest): CloudReply {
    if (req.method !== "POST") throw new GcpError(404, `Method not found: ${req.method} ${req.path}`);
    const body = parseJsonObject(req.raw);
    if (body === null) throw new GcpError(400, "Invalid JSON payload received.");
    const names = Array.isArray(body?.resourceNames) ? (body.resourceNames as unknown[]) : [];
    if (names.length === 0 || !names.every((n) => typeof n === "string" && /^projects\/[^/]+$/.test(n)))
      throw new GcpError(400, "resourceNames must name at least one project (projects/PROJECT_ID).");
    for (const n of names as string[]) this.countRead(n);
    const filter = parseFilter(typeof body?.filter === "string" ? body.filter : "");
    const desc = body?.orderBy === "timestamp desc";
    let entries = this.entries().filter(
      (e) =>
        (names as string[]).some((n) => (e.logName as string).startsWith(`${n}/logs/`)) &&
        (!filter.auditOnly || (e.logName as string).includes("cloudaudit.googleapis.com")) &&
        matches(e, filter),
    );
    entries = entries.sort((a, b) => Date.parse(a.timestamp as string) - Date.parse(b.timestamp as string));
    if (desc) entries.reverse();
    const size = Math.min(Number(body?.pageSize ?? 50) || 50, 1000);
    const from = Number(body?.pageToken ?? 0) || 0;
    const page = entries.slice(from, from + size);
    return {
      status: 200,
      body: {
        ...(page.length > 0 ? { entries: page } : {}),
        ...(from + size < entries.length ? { nextPageToken: String(from + size) } : {}),
      },
    };
  }

  private countRead(project: string): void {
    const now = this.clock().getTime();
    const recent = (this.reads.get(project) ?? []).filter((t) => t > now - 60_000);
    if (recent.length >= ENTRIES_LIST_PER_MINUTE)
      throw new GcpError(
        429,
        `Quota exceeded for quota metric 'Read requests' and limit 'Read requests per minute' of service 'logging.googleapis.com' for consumer '${project}'.`,
      );
    recent.push(now);
    this.reads.set(project, recent);
  }
}
