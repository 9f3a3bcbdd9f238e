import type { CallAudit, CloudReply, CloudRequest } from "../types.js";
import { ArmError } from "./arm-errors.js";
import { normalizeScope, subscriptionOf } from "./arm-scope.js";
import { BUILT_IN_ROLES, type BuiltInRole } from "./built-in-roles.js";
import type { PimSchedules } from "./pim-schedules.js";

/** An ARM resource (or one of its actions) outside Microsoft.Authorization and Microsoft.Insights. */
const RESOURCE =
  /^(\/subscriptions\/[^/]+\/resourceGroups\/[^/]+\/providers\/((?!Microsoft\.Authorization|Microsoft\.Insights)[A-Za-z0-9.]+)\/([A-Za-z]+)\/[^/]+)(?:\/([A-Za-z]+))?$/i;

function glob(pattern: string): RegExp {
  const body = pattern
    .split("*")
    .map((p) => p.replace(/[.+?^${}()|[\]\\/]/g, "\\$&"))
    .join(".*");
  return new RegExp(`^${body}$`, "i");
}

function allows(role: BuiltInRole, operation: string): boolean {
  return (
    role.actions.some((a) => glob(a).test(operation)) && !role.notActions.some((a) => glob(a).test(operation))
  );
}

/** Whether a path is a resource call the simulator answers. */
export function isResourceCall(path: string): boolean {
  return RESOURCE.test(normalizeScope(path));
}

/** The operation name of a resource call: `Microsoft.Storage/storageAccounts/write`, `.../listKeys/action`. */
export function resourceOperation(req: CloudRequest): { resourceId: string; operation: string } | undefined {
  const m = RESOURCE.exec(normalizeScope(req.path));
  if (!m) return undefined;
  const [, resourceId, ns, type, action] = m;
  const verb =
    req.method === "POST" && action
      ? `${action}/action`
      : req.method === "GET"
        ? "read"
        : req.method === "DELETE"
          ? "delete"
          : "write";
  return { resourceId: resourceId!, operation: `${ns}/${type}/${verb}` };
}

/**
 * A management call on any resource by a signed-in principal: allowed when an active PIM assignment
 * of a built-in role whose actions cover the operation holds at an enclosing scope, else 403
 * `AuthorizationFailed`. Writes (PUT, DELETE, POST actions) carry what the Activity Log records; reads
 * do not reach the Activity Log.
 */
export function answerResourceCall(req: CloudRequest, pim: PimSchedules, now: Date): CloudReply {
  const op = resourceOperation(req);
  if (!op)
    throw new ArmError(
      404,
      "NotFound",
      `No HTTP resource was found that matches the request URI '${req.path}'.`,
    );
  if (!req.query.get("api-version"))
    throw new ArmError(
      400,
      "MissingApiVersionParameter",
      "The api-version query parameter (?api-version=) is required for all requests.",
    );
  if (!req.caller) throw new ArmError(401, "InvalidAuthenticationToken", "The access token is invalid.");
  const principal = req.caller.principal.toLowerCase();
  const granted = BUILT_IN_ROLES.some(
    (r) => allows(r, op.operation) && pim.hasAccess(op.resourceId, principal, r.roleName, now),
  );
  const audit: CallAudit | undefined =
    req.method === "GET"
      ? undefined
      : {
          serviceName: op.operation.split("/")[0]!,
          methodName: op.operation,
          resourceName: op.resourceId,
          permission: op.operation,
          granted,
          log: "activity-log",
          container: subscriptionOf(op.resourceId) ?? "",
        };
  if (!granted)
    return {
      status: 403,
      body: {
        error: {
          code: "AuthorizationFailed",
          message: `The client '${principal}' with object id '${principal}' does not have authorization to perform action '${op.operation}' over scope '${op.resourceId}' or the scope is invalid.`,
        },
      },
      ...(audit ? { audit } : {}),
    };
  const name = op.resourceId.split("/").pop();
  return {
    status: 200,
    body: { id: op.resourceId, name, type: op.operation.split("/").slice(0, 2).join("/") },
    ...(audit ? { audit } : {}),
  };
}
