import type { CallClass, CloudCall, CloudReply, CloudRequest, CloudServiceHandler } from "../types.js";
import { ArmError, armErrorBody } from "./arm-errors.js";
import { ACTIVITY_LOG_ROUTE, answerActivityLog } from "./activity-log.js";
import { azureHandler } from "./azure-handler.js";
import type { PimSchedules } from "./pim-schedules.js";
import { answerResourceCall, isResourceCall, resourceOperation } from "./resource-calls.js";

/** ARM as the simulator answers it: Microsoft.Authorization (PIM, role definitions), the Activity Log, and calls on resources. */
export function azureServicesHandler(
  pim: PimSchedules,
  clock: () => Date,
  calls: () => readonly CloudCall[],
  baseUrl: () => string,
): CloudServiceHandler {
  const arm = azureHandler(pim, clock);
  const armReply = (f: () => CloudReply): CloudReply => {
    try {
      return f();
    } catch (err) {
      if (err instanceof ArmError) return { status: err.status, body: armErrorBody(err.code, err.message) };
      throw err;
    }
  };
  return {
    ...arm,
    classify(req: CloudRequest): CallClass {
      const log = ACTIVITY_LOG_ROUTE.exec(req.path);
      if (log) return { kind: "read", resource: `/subscriptions/${log[1]}`, operation: "activityLogs.list" };
      const op = resourceOperation(req);
      if (op)
        return {
          kind: req.method === "GET" ? "read" : "write",
          resource: op.resourceId,
          operation: op.operation,
        };
      return arm.classify(req);
    },
    handle(req: CloudRequest): CloudReply {
      if (ACTIVITY_LOG_ROUTE.test(req.path))
        return armReply(() => answerActivityLog(req, calls(), clock(), baseUrl));
      if (isResourceCall(req.path)) return armReply(() => answerResourceCall(req, pim, clock()));
      return arm.handle(req);
    },
  };
}
