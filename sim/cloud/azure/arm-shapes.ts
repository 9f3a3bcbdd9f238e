import { subscriptionOf } from "./arm-scope.js";
import type { BuiltInRole } from "./built-in-roles.js";
import type { PimRequest, PimSchedule } from "./pim-schedules.js";

const CREATED = "2015-02-02T21:55:09.8806423Z";
/** The principal the simulator says made every request (ARM takes it from the token). */
export const SIM_REQUESTOR_ID = "5fb8a1a2-0000-4000-8000-00000000c0de";

function prefix(scope: string): string {
  return scope === "/" ? "" : scope;
}

function scopeType(scope: string): string {
  if (/\/resourceGroups\/[^/]+$/i.test(scope)) return "resourcegroup";
  if (/^\/subscriptions\/[^/]+$/i.test(scope)) return "subscription";
  if (/managementGroups/i.test(scope)) return "managementgroup";
  return "resource";
}

/** The id a role definition has when read at `scope`. */
export function roleDefinitionId(role: BuiltInRole, scope: string): string {
  const sub = subscriptionOf(scope);
  return `${sub ? `/subscriptions/${sub}` : ""}/providers/Microsoft.Authorization/roleDefinitions/${role.guid}`;
}

/**
 * A role definition (api-version 2022-04-01).
 * Shape: https://learn.microsoft.com/rest/api/authorization/role-definitions/list#roledefinition
 */
export function roleDefinitionJson(role: BuiltInRole, scope: string): unknown {
  return {
    id: roleDefinitionId(role, scope),
    type: "Microsoft.Authorization/roleDefinitions",
    name: role.guid,
    properties: {
      roleName: role.roleName,
      type: "BuiltInRole",
      description: role.description,
      assignableScopes: ["/"],
      permissions: [
        {
          actions: role.actions,
          notActions: role.notActions,
          dataActions: role.dataActions,
          notDataActions: [],
        },
      ],
      createdOn: CREATED,
      updatedOn: CREATED,
      createdBy: null,
      updatedBy: null,
    },
  };
}

function expanded(x: {
  scope: string;
  principalId: string;
  principalType: string;
  role: BuiltInRole;
  roleDefinitionId: string;
}): unknown {
  return {
    scope: { id: x.scope, displayName: x.scope.split("/").pop() || "/", type: scopeType(x.scope) },
    roleDefinition: { id: x.roleDefinitionId, displayName: x.role.roleName, type: "BuiltInRole" },
    principal: { id: x.principalId, displayName: x.principalId, email: null, type: x.principalType },
  };
}

/**
 * A role assignment schedule request (api-version 2020-10-01).
 * Shape: https://learn.microsoft.com/rest/api/authorization/role-assignment-schedule-requests/create#roleassignmentschedulerequest
 */
export function scheduleRequestJson(r: PimRequest): unknown {
  return {
    id: `${prefix(r.scope)}/providers/Microsoft.Authorization/RoleAssignmentScheduleRequests/${r.name}`,
    name: r.name,
    type: "Microsoft.Authorization/RoleAssignmentScheduleRequests",
    properties: {
      targetRoleAssignmentScheduleId: r.targetScheduleName,
      targetRoleAssignmentScheduleInstanceId: null,
      scope: r.scope,
      roleDefinitionId: r.roleDefinitionId,
      principalId: r.principalId,
      principalType: r.principalType,
      requestType: r.requestType,
      status: r.status,
      approvalId: null,
      scheduleInfo: r.scheduleInfo,
      linkedRoleEligibilityScheduleId: null,
      justification: r.justification,
      ticketInfo: { ticketNumber: null, ticketSystem: null },
      condition: null,
      conditionVersion: null,
      createdOn: r.createdOn.toISOString(),
      requestorId: SIM_REQUESTOR_ID,
      expandedProperties: expanded(r),
    },
  };
}

/**
 * A role assignment schedule (api-version 2020-10-01).
 * Shape: https://learn.microsoft.com/rest/api/authorization/role-assignment-schedules/list-for-scope#roleassignmentschedule
 */
export function scheduleJson(s: PimSchedule, listedAt: string): unknown {
  return {
    id: `${prefix(s.scope)}/providers/Microsoft.Authorization/roleAssignmentSchedules/${s.name}`,
    name: s.name,
    type: "Microsoft.Authorization/roleAssignmentSchedules",
    properties: {
      scope: s.scope,
      roleDefinitionId: s.roleDefinitionId,
      principalId: s.principalId,
      principalType: s.principalType,
      roleAssignmentScheduleRequestId: s.requestId,
      linkedRoleEligibilityScheduleId: null,
      assignmentType: "Assigned",
      memberType: s.scope.toLowerCase() === listedAt.toLowerCase() ? "Direct" : "Inherited",
      status: "Provisioned",
      startDateTime: s.start.toISOString(),
      endDateTime: s.end ? s.end.toISOString() : null,
      condition: null,
      conditionVersion: null,
      createdOn: s.createdOn.toISOString(),
      updatedOn: s.updatedOn.toISOString(),
      expandedProperties: expanded(s),
    },
  };
}

/**
 * A role assignment schedule instance (api-version 2020-10-01).
 * Shape: https://learn.microsoft.com/rest/api/authorization/role-assignment-schedule-instances/list-for-scope#roleassignmentscheduleinstance
 */
export function scheduleInstanceJson(s: PimSchedule, listedAt: string): unknown {
  return {
    id: `${prefix(s.scope)}/providers/Microsoft.Authorization/roleAssignmentScheduleInstances/${s.instanceName}`,
    name: s.instanceName,
    type: "Microsoft.Authorization/roleAssignmentScheduleInstances",
    properties: {
      scope: s.scope,
      roleDefinitionId: s.roleDefinitionId,
      principalId: s.principalId,
      principalType: s.principalType,
      roleAssignmentScheduleId: `${prefix(s.scope)}/providers/Microsoft.Authorization/roleAssignmentSchedules/${s.name}`,
      originRoleAssignmentId: `${prefix(s.scope)}/providers/Microsoft.Authorization/roleAssignments/${s.roleAssignmentId}`,
      status: "Provisioned",
      startDateTime: s.start.toISOString(),
      endDateTime: s.end ? s.end.toISOString() : null,
      linkedRoleEligibilityScheduleId: null,
      linkedRoleEligibilityScheduleInstanceId: null,
      assignmentType: "Assigned",
      memberType: s.scope.toLowerCase() === listedAt.toLowerCase() ? "Direct" : "Inherited",
      roleAssignmentId: `${prefix(s.scope)}/providers/Microsoft.Authorization/roleAssignments/${s.roleAssignmentId}`,
      condition: null,
      conditionVersion: null,
      createdOn: s.createdOn.toISOString(),
      expandedProperties: expanded(s),
    },
  };
}
