import { AuthorizationManagementClient } from "@azure/arm-authorization";
import { bearerTokenAuthenticationPolicyName } from "@azure/core-rest-pipeline";
import type { TokenCredential } from "@azure/identity";
import { abortLate } from "./with-deadline.js";

/** A PIM role assignment schedule request as jitops writes and reads it. */
export interface ScheduleRequest {
  name: string;
  principalId: string;
  roleDefinitionId: string;
  requestType: "AdminAssign" | "AdminRemove" | "AdminUpdate" | "AdminExtend";
  justification: string;
  startDateTime: string;
  endDateTime?: string;
  status?: string;
  createdOn?: string;
}

/** The PIM calls the Azure provider makes. */
export interface PimClient {
  roleDefinitionId(scope: string, roleName: string): Promise<string | undefined>;
  create(scope: string, request: ScheduleRequest): Promise<ScheduleRequest>;
  list(scope: string): Promise<ScheduleRequest[]>;
}

/**
 * PIM through `@azure/arm-authorization`. `endpoint` points elsewhere than ARM (the embedded cloud);
 * `allowInsecureConnection` (loopback http only) also swaps the bearer policy, which refuses http.
 */
export function armPimClient(
  credential: TokenCredential,
  opts: { endpoint?: string; allowInsecureConnection?: boolean; deadlineMs?: number } = {},
): PimClient {
  const client = new AuthorizationManagementClient(credential, "00000000-0000-0000-0000-000000000000", {
    ...(opts.endpoint
      ? { endpoint: opts.endpoint, credentialScopes: ["https://management.azure.com/.default"] }
      : {}),
    ...(opts.allowInsecureConnection ? { allowInsecureConnection: true } : {}),
  });
  const { deadlineMs } = opts;
  if (deadlineMs !== undefined)
    // Per call, so it also ends the SDK's retries: a black-holed ARM must not keep the process alive.
    client.pipeline.addPolicy({
      name: "jitopsDropLateCalls",
      sendRequest: (request, next) =>
        abortLate(
          deadlineMs,
          (signal) => {
            request.abortSignal = signal;
            return next(request);
          },
          request.abortSignal,
        ),
    });
  if (opts.allowInsecureConnection) {
    client.pipeline.removePolicy({ name: bearerTokenAuthenticationPolicyName });
    client.pipeline.addPolicy({
      name: "jitopsLoopbackBearer",
      sendRequest: async (request, next) => {
        const token = await credential.getToken("https://management.azure.com/.default");
        request.headers.set("authorization", `Bearer ${token?.token ?? ""}`);
        return next(request);
      },
    });
  }
  return {
    async roleDefinitionId(scope, roleName) {
      for await (const d of client.roleDefinitions.list(sdkScope(scope), {
        filter: `roleName eq '${roleName.replace(/'/g, "''")}'`,
      })) {
        if (d.roleName === roleName && d.id) return d.id;
      }
      return undefined;
    },
    async create(scope, r) {
      const out = await client.roleAssignmentScheduleRequests.create(sdkScope(scope), r.name, {
        principalId: r.principalId,
        roleDefinitionId: r.roleDefinitionId,
        requestType: r.requestType,
        justification: r.justification,
        scheduleInfo: {
          startDateTime: new Date(r.startDateTime),
          expiration: r.endDateTime
            ? { type: "AfterDateTime", endDateTime: new Date(r.endDateTime) }
            : { type: "NoExpiration" },
        },
      });
      return { ...r, ...(out.status ? { status: out.status } : {}) };
    },
    async list(scope) {
      const out: ScheduleRequest[] = [];
      for await (const r of client.roleAssignmentScheduleRequests.listForScope(sdkScope(scope))) {
        out.push({
          name: r.name ?? "",
          principalId: r.principalId ?? "",
          roleDefinitionId: r.roleDefinitionId ?? "",
          requestType: (r.requestType ?? "AdminAssign") as ScheduleRequest["requestType"],
          justification: r.justification ?? "",
          startDateTime: r.scheduleInfo?.startDateTime?.toISOString() ?? "",
          ...(r.scheduleInfo?.expiration?.endDateTime
            ? { endDateTime: r.scheduleInfo.expiration.endDateTime.toISOString() }
            : {}),
          ...(r.status ? { status: r.status } : {}),
          ...(r.createdOn ? { createdOn: r.createdOn.toISOString() } : {}),
        });
      }
      return out;
    },
  };
}

/**
 * The SDK's URL templates are `/{scope}/providers/...`: a scope written as ARM ids are
 * (`/subscriptions/...`) would be sent as `//subscriptions/...`, so the leading slash goes.
 */
function sdkScope(scope: string): string {
  return scope.replace(/^\/+/, "");
}
