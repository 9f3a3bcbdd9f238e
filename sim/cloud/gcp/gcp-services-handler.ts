import { gcpReply } from "../../shared/gcp-error.js";
import type { CallClass, CloudReply, CloudRequest, CloudServiceHandler } from "../types.js";
import { ENTRIES_LIST_ROUTE, type AuditLogReader } from "./audit-log.js";
import { gcpHandler } from "./gcp-handler.js";
import { answerIamRoles, IAM_ROLES_ROUTE } from "./iam-roles-handler.js";
import type { GcpIamPolicies } from "./iam-policies.js";
import { answerServiceCall, serviceCallClass, type GcpServiceResources } from "./service-calls.js";

/**
 * Every Google API the simulator answers on its one GCP port: Resource Manager IAM policies, IAM
 * roles, Cloud Logging `entries.list`, and a few Cloud SQL and Storage calls that principals make
 * and the audit logs record.
 */
export function gcpServicesHandler(
  policies: GcpIamPolicies,
  resources: GcpServiceResources,
  logs: AuditLogReader,
  clock: () => Date,
): CloudServiceHandler {
  const iam = gcpHandler(policies);
  return {
    ...iam,
    classify(req: CloudRequest): CallClass {
      if (ENTRIES_LIST_ROUTE.test(req.path))
        return { kind: "read", resource: "logging", operation: "entries.list" };
      const role = IAM_ROLES_ROUTE.exec(req.path);
      if (role)
        return {
          kind: "read",
          resource: role[1] ? `roles/${role[1]}` : "roles",
          operation: role[1] ? "roles.get" : "roles.list",
        };
      const service = serviceCallClass(req);
      if (service)
        return {
          kind: req.method === "GET" ? "read" : "write",
          resource: service.resource,
          operation: service.permission,
        };
      return iam.classify(req);
    },
    handle(req: CloudRequest): CloudReply {
      try {
        if (ENTRIES_LIST_ROUTE.test(req.path)) return logs.answer(req);
        if (IAM_ROLES_ROUTE.test(req.path)) return answerIamRoles(req);
        if (serviceCallClass(req)) return answerServiceCall(req, resources, policies, clock());
      } catch (err) {
        return gcpReply(err);
      }
      const reply = iam.handle(req);
      const m = /^\/v3\/((projects)\/[^/:]+):setIamPolicy$/.exec(req.path);
      if (!m || !req.caller || reply.status !== 200) return reply;
      // Admin Activity records policy changes too: the jitops grant itself, when the sim knows who made it.
      return {
        ...reply,
        audit: {
          serviceName: "cloudresourcemanager.googleapis.com",
          methodName: "SetIamPolicy",
          resourceName: m[1]!,
          permission: "resourcemanager.projects.setIamPolicy",
          granted: true,
          log: "activity",
          container: m[1]!,
        },
      };
    },
  };
}
