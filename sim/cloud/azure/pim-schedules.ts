import { randomUUID } from "node:crypto";
import { ArmError } from "./arm-errors.js";
import { normalizeScope, scopeCovers } from "./arm-scope.js";
import { findBuiltInRole, type BuiltInRole } from "./built-in-roles.js";
import { parseIsoDuration } from "./iso-duration.js";

/** PIM refuses assignments shorter than this, and removals sooner than this after assigning. */
export const MIN_ACTIVE_MS = 5 * 60_000;
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ROLE_DEFINITION_ID = /\/providers\/Microsoft\.Authorization\/roleDefinitions\/([0-9a-f-]{36})$/i;
const REQUEST_TYPES = [
  "AdminAssign",
  "AdminRemove",
  "AdminUpdate",
  "AdminExtend",
  "AdminRenew",
  "SelfActivate",
  "SelfDeactivate",
  "SelfExtend",
  "SelfRenew",
] as const;
type RequestType = (typeof REQUEST_TYPES)[number];

/** An active role assignment schedule made by a request. */
export interface PimSchedule {
  name: string;
  scope: string;
  principalId: string;
  principalType: string;
  role: BuiltInRole;
  roleDefinitionId: string;
  requestId: string;
  start: Date;
  end: Date | null;
  createdOn: Date;
  updatedOn: Date;
  removedOn?: Date;
  instanceName: string;
  roleAssignmentId: string;
}

/** A processed schedule request, as stored and echoed. */
export interface PimRequest {
  name: string;
  scope: string;
  principalId: string;
  principalType: string;
  role: BuiltInRole;
  roleDefinitionId: string;
  requestType: RequestType;
  status: string;
  justification: string | null;
  scheduleInfo: {
    startDateTime: string | null;
    expiration: { type: string; endDateTime: string | null; duration: string | null };
  };
  targetScheduleName: string | null;
  createdOn: Date;
}

function bad(message: string): never {
  throw new ArmError(400, "InvalidRequestContent", message);
}

function isoOrBad(v: unknown, field: string): Date {
  const d = typeof v === "string" ? new Date(v) : undefined;
  if (!d || Number.isNaN(d.getTime()))
    bad(`${field} must be an ISO 8601 date-time, got ${JSON.stringify(v)}`);
  return d;
}

/** Reads `scheduleInfo`: start (default now) and end (null for NoExpiration). */
function readSchedule(
  raw: unknown,
  now: Date,
): { start: Date; end: Date | null; info: PimRequest["scheduleInfo"] } {
  const s = (typeof raw === "object" && raw !== null ? raw : {}) as Record<string, unknown>;
  const start = s.startDateTime ? isoOrBad(s.startDateTime, "scheduleInfo.startDateTime") : now;
  const e = (typeof s.expiration === "object" && s.expiration !== null ? s.expiration : {}) as Record<
    string,
    unknown
  >;
  const type = e.type ?? "NoExpiration";
  let end: Date | null = null;
  let duration: string | null = null;
  if (type === "AfterDuration") {
    const ms = typeof e.duration === "string" ? parseIsoDuration(e.duration) : undefined;
    if (ms === undefined)
      bad(
        `scheduleInfo.expiration.duration must be an ISO 8601 duration such as PT8H, got ${JSON.stringify(e.duration)}`,
      );
    duration = e.duration as string;
    end = new Date(start.getTime() + ms);
  } else if (type === "AfterDateTime") {
    end = isoOrBad(e.endDateTime, "scheduleInfo.expiration.endDateTime");
  } else if (type !== "NoExpiration") {
    bad(
      `scheduleInfo.expiration.type must be AfterDuration, AfterDateTime or NoExpiration, got ${JSON.stringify(type)}`,
    );
  }
  return {
    start,
    end,
    info: {
      startDateTime: start.toISOString(),
      expiration: {
        type: String(type),
        endDateTime: type === "AfterDateTime" && end ? end.toISOString() : null,
        duration,
      },
    },
  };
}

/** Azure PIM role assignment schedules: requests, schedules, per-role expiry policy, access evaluation. */
export class PimSchedules {
  private readonly schedules: PimSchedule[] = [];
  private readonly requests = new Map<string, PimRequest>();
  private readonly maxDuration = new Map<string, { iso: string; ms: number }>();

  constructor(private readonly clock: () => Date) {}

  /** Bounds active assignments of a role (`Reader`, `PT8H`): longer or permanent requests fail `ExpirationRule`. */
  setMaxDuration(roleName: string, iso: string | null): void {
    const role = findBuiltInRole(roleName);
    if (!role) throw new Error(`sim: unknown built-in role "${roleName}"`);
    if (iso === null) {
      this.maxDuration.delete(role.guid);
      return;
    }
    const ms = parseIsoDuration(iso);
    if (ms === undefined) throw new Error(`sim: "${iso}" is not an ISO 8601 duration`);
    this.maxDuration.set(role.guid, { iso, ms });
  }

  /** Processes a PUT of a schedule request (ARM semantics); returns the stored request. */
  submit(scopeRaw: string, name: string, body: Record<string, unknown> | undefined): PimRequest {
    const now = this.clock();
    const scope = normalizeScope(scopeRaw);
    if (!GUID.test(name))
      bad(`The role assignment schedule request name '${name}' is not valid; it must be a GUID.`);
    const p = body?.properties;
    if (typeof p !== "object" || p === null) bad("The request content is missing 'properties'.");
    const props = p as Record<string, unknown>;
    if (typeof props.principalId !== "string" || !GUID.test(props.principalId))
      bad(`properties.principalId must be a GUID, got ${JSON.stringify(props.principalId)}`);
    const requestType = props.requestType as RequestType;
    if (!REQUEST_TYPES.includes(requestType))
      bad(
        `properties.requestType must be one of ${REQUEST_TYPES.join(", ")}, got ${JSON.stringify(props.requestType)}`,
      );
    const roleDefinitionId = typeof props.roleDefinitionId === "string" ? props.roleDefinitionId : "";
    const guid = ROLE_DEFINITION_ID.exec(roleDefinitionId)?.[1];
    const role = guid ? findBuiltInRole(guid) : undefined;
    if (!role)
      throw new ArmError(
        400,
        "RoleDefinitionDoesNotExist",
        `The specified role definition with ID '${guid ?? roleDefinitionId}' does not exist.`,
      );
    if (requestType.startsWith("Self"))
      throw new ArmError(
        400,
        "RoleAssignmentRequestPolicyValidationFailed",
        'The following policy rules failed: ["EligibilityRule"]',
      );
    const sched = readSchedule(props.scheduleInfo, now);
    const req: PimRequest = {
      name,
      scope,
      principalId: props.principalId.toLowerCase(),
      principalType: "User",
      role,
      roleDefinitionId,
      requestType,
      status: "Provisioned",
      justification: typeof props.justification === "string" ? props.justification : null,
      scheduleInfo: sched.info,
      targetScheduleName: null,
      createdOn: now,
    };
    const existing = this.find(scope, req.principalId, role.guid, now, requestType === "AdminRenew");
    if (requestType === "AdminRemove") {
      if (!existing)
        throw new ArmError(400, "RoleAssignmentDoesNotExist", "The Role assignment does not exist.");
      if (now.getTime() - existing.createdOn.getTime() < MIN_ACTIVE_MS)
        throw new ArmError(
          400,
          "ActiveDurationTooShort",
          "The Active duration is too short. Minimum Required is 5 minutes.",
        );
      existing.removedOn = now;
      existing.updatedOn = now;
      req.status = "Revoked";
      req.targetScheduleName = existing.name;
    } else {
      this.checkDuration(role, sched.start, sched.end);
      if (requestType === "AdminAssign") {
        if (existing) throw new ArmError(409, "RoleAssignmentExists", "The Role assignment already exists.");
        const s = this.create(req, sched.start, sched.end, now);
        req.targetScheduleName = s.name;
      } else {
        if (!existing)
          throw new ArmError(400, "RoleAssignmentDoesNotExist", "The Role assignment does not exist.");
        if (requestType === "AdminUpdate" || requestType === "AdminRenew") existing.start = sched.start;
        existing.end = sched.end;
        existing.updatedOn = now;
        delete existing.removedOn;
        req.targetScheduleName = existing.name;
      }
      if (sched.start.getTime() > now.getTime()) req.status = "ScheduleCreated";
    }
    this.requests.set(`${scope.toLowerCase()}|${name.toLowerCase()}`, req);
    return req;
  }

  private checkDuration(role: BuiltInRole, start: Date, end: Date | null): void {
    if (end && end.getTime() - start.getTime() < MIN_ACTIVE_MS)
      throw new ArmError(
        400,
        "ActiveDurationTooShort",
        "The Active duration is too short. Minimum Required is 5 minutes.",
      );
    const max = this.maxDuration.get(role.guid);
    if (max && (!end || end.getTime() - start.getTime() > max.ms))
      throw new ArmError(
        400,
        "RoleAssignmentRequestPolicyValidationFailed",
        'The following policy rules failed: ["ExpirationRule"]',
      );
  }

  private create(req: PimRequest, start: Date, end: Date | null, now: Date): PimSchedule {
    const s: PimSchedule = {
      name: randomUUID(),
      scope: req.scope,
      principalId: req.principalId,
      principalType: req.principalType,
      role: req.role,
      roleDefinitionId: req.roleDefinitionId,
      requestId: `${req.scope === "/" ? "" : req.scope}/providers/Microsoft.Authorization/RoleAssignmentScheduleRequests/${req.name}`,
      start,
      end,
      createdOn: now,
      updatedOn: now,
      instanceName: randomUUID(),
      roleAssignmentId: randomUUID(),
    };
    this.schedules.push(s);
    return s;
  }

  /** The live (or, for renewals, latest) schedule at exactly this scope for principal and role. */
  private find(
    scope: string,
    principalId: string,
    roleGuid: string,
    now: Date,
    includeExpired: boolean,
  ): PimSchedule | undefined {
    return this.schedules
      .filter(
        (s) =>
          s.scope.toLowerCase() === scope.toLowerCase() &&
          s.principalId === principalId &&
          s.role.guid === roleGuid &&
          !s.removedOn,
      )
      .find((s) => includeExpired || !s.end || s.end.getTime() > now.getTime());
  }

  /** A stored request by scope and name. */
  request(scope: string, name: string): PimRequest | undefined {
    return this.requests.get(`${normalizeScope(scope).toLowerCase()}|${name.toLowerCase()}`);
  }

  /** Requests made at a scope. */
  requestsAt(scope: string): PimRequest[] {
    const s = normalizeScope(scope).toLowerCase();
    return [...this.requests.values()].filter((r) => r.scope.toLowerCase() === s);
  }

  /** Schedules not removed and not yet expired at `at` (future ones included). */
  live(at: Date = this.clock()): PimSchedule[] {
    return this.schedules.filter((s) => !s.removedOn && (!s.end || s.end.getTime() > at.getTime()));
  }

  /** Every schedule ever made, removed and expired included (copies). */
  all(): PimSchedule[] {
    return this.schedules.map((s) => ({ ...s }));
  }

  /** Whether the principal holds the role at `scope` (directly or inherited from an enclosing scope) at `at`. */
  hasAccess(scope: string, principalId: string, roleName: string, at: Date): boolean {
    const role = findBuiltInRole(roleName);
    if (!role) return false;
    const t = at.getTime();
    return this.schedules.some(
      (s) =>
        s.role.guid === role.guid &&
        s.principalId === principalId.toLowerCase() &&
        scopeCovers(s.scope, scope) &&
        s.start.getTime() <= t &&
        (!s.end || t < s.end.getTime()) &&
        (!s.removedOn || t < s.removedOn.getTime()),
    );
  }
}
