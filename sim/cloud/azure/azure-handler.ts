import { parseJsonObject } from "../../shared/parse-json-object.js";
import type { CallClass, CloudReply, CloudRequest, CloudServiceHandler } from "../types.js";
import { ArmError, armErrorBody } from "./arm-errors.js";
import { isValidScope, normalizeScope, scopeCovers } from "./arm-scope.js";
import { roleDefinitionJson, scheduleInstanceJson, scheduleJson, scheduleRequestJson } from "./arm-shapes.js";
import { BUILT_IN_ROLES } from "./built-in-roles.js";
import type { PimSchedule, PimSchedules } from "./pim-schedules.js";

const ROUTE =
  /^(.*)\/providers\/Microsoft\.Authorization\/(roleAssignmentScheduleRequests|roleAssignmentSchedules|roleAssignmentScheduleInstances|roleDefinitions)(?:\/([^/]+))?$/i;
type Kind =
  | "roleAssignmentScheduleRequests"
  | "roleAssignmentSchedules"
  | "roleAssignmentScheduleInstances"
  | "roleDefinitions";
const KINDS: Kind[] = [
  "roleAssignmentScheduleRequests",
  "roleAssignmentSchedules",
  "roleAssignmentScheduleInstances",
  "roleDefinitions",
];
const PIM_VERSIONS = [
  "2020-10-01",
  "2020-10-01-preview",
  "2022-04-01-preview",
  "2024-02-01-preview",
  "2024-09-01-preview",
];
const ROLE_DEFINITION_VERSIONS = ["2015-07-01", "2018-01-01-preview", "2022-04-01", "2022-05-01-preview"];

interface Matched {
  scope: string;
  kind: Kind;
  name: string | undefined;
}

function match(path: string): Matched | undefined {
  const m = ROUTE.exec(normalizeScope(path));
  if (!m) return undefined;
  const kind = KINDS.find((k) => k.toLowerCase() === (m[2] ?? "").toLowerCase()) ?? "roleDefinitions";
  return { scope: normalizeScope(m[1] ?? "/"), kind, name: m[3] };
}

/** ARM rejects any call without a supported api-version (https://learn.microsoft.com/azure/azure-resource-manager/management/resource-providers-and-types). */
function checkApiVersion(req: CloudRequest, kind: Kind): void {
  const v = req.query.get("api-version");
  if (!v)
    throw new ArmError(
      400,
      "MissingApiVersionParameter",
      "The api-version query parameter (?api-version=) is required for all requests.",
    );
  const supported = kind === "roleDefinitions" ? ROLE_DEFINITION_VERSIONS : PIM_VERSIONS;
  if (!supported.includes(v))
    throw new ArmError(
      400,
      "InvalidApiVersionParameter",
      `The api-version '${v}' is invalid. The supported versions are '${supported.join(",")}'.`,
    );
}

interface ScheduleFilter {
  atScope: boolean;
  principalId?: string;
  roleDefinitionId?: string;
}

function parseScheduleFilter(raw: string | null): ScheduleFilter {
  const f: ScheduleFilter = { atScope: false };
  if (!raw) return f;
  for (const term of raw.split(/\s+and\s+/i).map((t) => t.trim())) {
    let m: RegExpExecArray | null;
    if (/^atScope\(\)$/i.test(term)) f.atScope = true;
    else if (/^asTarget\(\)$/i.test(term)) continue;
    else if ((m = /^principalId\s+eq\s+'([^']+)'$/i.exec(term))) f.principalId = m[1]?.toLowerCase();
    else if ((m = /^assignedTo\('([^']+)'\)$/i.exec(term))) f.principalId = m[1]?.toLowerCase();
    else if ((m = /^roleDefinitionId\s+eq\s+'([^']+)'$/i.exec(term)))
      f.roleDefinitionId = m[1]?.toLowerCase();
    else
      throw new ArmError(
        400,
        "InvalidFilterInQueryString",
        `Unsupported $filter term "${term}"; accepted: atScope(), asTarget(), principalId eq '…', assignedTo('…'), roleDefinitionId eq '…'`,
      );
  }
  return f;
}

/** Schedules visible from `scope`: at or above it with atScope(), else at, above or below it. */
function visible(all: PimSchedule[], scope: string, f: ScheduleFilter): PimSchedule[] {
  return all.filter(
    (s) =>
      (scopeCovers(s.scope, scope) || (!f.atScope && scopeCovers(scope, s.scope))) &&
      (!f.principalId || s.principalId === f.principalId) &&
      (!f.roleDefinitionId ||
        s.roleDefinitionId.toLowerCase().endsWith(f.roleDefinitionId.split("/").pop() ?? "")),
  );
}

function listRoleDefinitions(scope: string, filter: string | null): unknown {
  let roles = [...BUILT_IN_ROLES];
  if (filter) {
    const byName = /^roleName\s+eq\s+'([^']*)'$/i.exec(filter.trim());
    const byType = /^type\s+eq\s+'([^']*)'$/i.exec(filter.trim());
    if (byName) roles = roles.filter((r) => r.roleName === byName[1]);
    else if (byType) roles = byType[1] === "BuiltInRole" ? roles : [];
    else
      throw new ArmError(
        400,
        "InvalidFilterInQueryString",
        `Unsupported $filter "${filter}"; accepted: roleName eq '…', type eq '…'`,
      );
  }
  return { value: roles.map((r) => roleDefinitionJson(r, scope)) };
}

function get(pim: PimSchedules, m: Matched, req: CloudRequest, now: number): CloudReply {
  const filter = req.query.get("$filter");
  if (m.kind === "roleDefinitions") {
    if (!m.name) return { status: 200, body: listRoleDefinitions(m.scope, filter) };
    const role = BUILT_IN_ROLES.find((r) => r.guid === m.name?.toLowerCase());
    if (!role)
      throw new ArmError(
        404,
        "RoleDefinitionDoesNotExist",
        `The specified role definition with ID '${m.name}' does not exist.`,
      );
    return { status: 200, body: roleDefinitionJson(role, m.scope) };
  }
  if (m.kind === "roleAssignmentScheduleRequests") {
    if (m.name) {
      const r = pim.request(m.scope, m.name);
      if (!r)
        throw new ArmError(
          404,
          "RoleAssignmentScheduleRequestNotFound",
          `The role assignment schedule request '${m.name}' is not found.`,
        );
      return { status: 200, body: scheduleRequestJson(r) };
    }
    return { status: 200, body: { value: pim.requestsAt(m.scope).map(scheduleRequestJson) } };
  }
  const live = visible(pim.live(new Date(now)), m.scope, parseScheduleFilter(filter));
  if (m.kind === "roleAssignmentSchedules") {
    if (m.name) {
      const s = live.find((x) => x.name === m.name?.toLowerCase());
      if (!s)
        throw new ArmError(
          404,
          "RoleAssignmentScheduleNotFound",
          `The role assignment schedule '${m.name}' is not found.`,
        );
      return { status: 200, body: scheduleJson(s, m.scope) };
    }
    return { status: 200, body: { value: live.map((s) => scheduleJson(s, m.scope)) } };
  }
  const active = live.filter((s) => s.start.getTime() <= now || m.name);
  if (m.name) {
    const s = active.find((x) => x.instanceName === m.name?.toLowerCase());
    if (!s)
      throw new ArmError(
        404,
        "RoleAssignmentScheduleInstanceNotFound",
        `The role assignment schedule instance '${m.name}' is not found.`,
      );
    return { status: 200, body: scheduleInstanceJson(s, m.scope) };
  }
  return { status: 200, body: { value: active.map((s) => scheduleInstanceJson(s, m.scope)) } };
}

/** ARM `Microsoft.Authorization` endpoints for PIM schedule requests, schedules, instances and role definitions. */
export function azureHandler(pim: PimSchedules, clock: () => Date): CloudServiceHandler {
  return {
    service: "azure",
    classify(req: CloudRequest): CallClass {
      const m = match(req.path);
      const kind = req.method === "GET" ? "read" : "write";
      if (!m) return { kind, resource: "unknown", operation: "unknown" };
      const verb =
        req.method === "GET"
          ? m.name
            ? "get"
            : "list"
          : req.method === "PUT"
            ? "create"
            : req.method.toLowerCase();
      return { kind, resource: m.scope, operation: `${m.kind}.${verb}` };
    },
    handle(req: CloudRequest): CloudReply {
      try {
        const m = match(req.path);
        if (!m)
          throw new ArmError(
            404,
            "NotFound",
            `No HTTP resource was found that matches the request URI '${req.path}'.`,
          );
        checkApiVersion(req, m.kind);
        if (req.method === "GET") return get(pim, m, req, clock().getTime());
        if (req.method !== "PUT" || m.kind !== "roleAssignmentScheduleRequests" || !m.name)
          throw new ArmError(
            405,
            "MethodNotAllowed",
            `The requested method ${req.method} is not allowed on '${req.path}'.`,
          );
        if (!isValidScope(m.scope))
          throw new ArmError(400, "InvalidScope", `The scope '${m.scope}' is not valid.`);
        const body = parseJsonObject(req.raw);
        if (body === null)
          throw new ArmError(
            400,
            "InvalidRequestContent",
            "The request content was invalid and could not be deserialized.",
          );
        return { status: 201, body: scheduleRequestJson(pim.submit(m.scope, m.name, body)) };
      } catch (err) {
        if (err instanceof ArmError) return { status: err.status, body: armErrorBody(err.code, err.message) };
        throw err;
      }
    },
    faultBody(status: number, message: string | undefined): unknown {
      const code =
        status === 429
          ? "TooManyRequests"
          : status === 409
            ? "Conflict"
            : status === 503
              ? "ServiceUnavailable"
              : status >= 500
                ? "InternalServerError"
                : "BadRequest";
      return armErrorBody(
        code,
        message ?? (status === 429 ? "The request is being throttled." : "Simulated failure"),
      );
    },
    unauthenticated(): CloudReply {
      return {
        status: 401,
        body: armErrorBody(
          "AuthenticationFailed",
          "Authentication failed. The 'Authorization' header is missing.",
        ),
        headers: {
          "www-authenticate":
            'Bearer authorization_uri="https://login.microsoftonline.com/common", error="invalid_token"',
        },
      };
    },
  };
}
