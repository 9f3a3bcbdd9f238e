import { v5 as uuidv5 } from "uuid";
import { MARKER, type Binding } from "../core/plan/binding.js";
import type { ActualBinding } from "../core/plan/diff-bindings.js";
import { scopeOf, type Provider, type ProviderReport } from "../core/plan/provider.js";
import type { PimClient, ScheduleRequest } from "./azure-pim-client.js";

/** UUIDv5 namespace of jitops's PIM request names (deterministic, so a redelivery repeats the same name). */
export const JITOPS_NAMESPACE = "6f1d0c0a-4c1e-5b8e-9a57-6a6974f0ac01";

const JUSTIFICATION = /^jitops:(\S+)/;
const IDEMPOTENT = ["RoleAssignmentExists", "RoleAssignmentRequestExists", "RoleAssignmentDoesNotExist"];

/** The PIM request name of a binding action: UUIDv5 of the binding id, the action and the window. */
export function requestName(id: string, action: string, notAfter: string): string {
  return uuidv5(`${id}|${action}|${notAfter}`, JITOPS_NAMESPACE);
}

function errorCode(e: unknown): string {
  const err = e as { code?: string; details?: { error?: { code?: string } } };
  return err.details?.error?.code ?? err.code ?? "";
}

/**
 * Azure through PIM role assignment schedule requests: `AdminAssign` with an `AfterDateTime`
 * expiration that Azure enforces, `AdminUpdate` for extensions, `AdminRemove` for early revoke.
 * "Already exists" answers are the idempotent outcome of a repeated request, not failures.
 */
export function azureProvider(client: PimClient, now: () => Date = () => new Date()): Provider {
  const roleIds = new Map<string, string>();
  const roleId = async (scope: string, role: string) => {
    const key = `${scope}|${role}`;
    const hit = roleIds.get(key);
    if (hit) return hit;
    const id = await client.roleDefinitionId(scope, role);
    if (!id) throw new Error(`Azure role "${role}" is not defined at ${scope}`);
    roleIds.set(key, id);
    return id;
  };
  const send = async (scope: string, r: ScheduleRequest) => {
    try {
      await client.create(scope, r);
    } catch (e) {
      if (!IDEMPOTENT.includes(errorCode(e))) throw e;
    }
  };
  return {
    name: "azure",
    async list(scopes) {
      const out: ActualBinding[] = [];
      for (const scope of new Set(scopes)) {
        // The latest request per binding decides whether it is held; PIM itself ends expired ones.
        const latest = new Map<string, ScheduleRequest>();
        const requests = (await client.list(scope)).sort((a, b) =>
          (a.createdOn ?? "").localeCompare(b.createdOn ?? ""),
        );
        for (const r of requests) {
          const m = JUSTIFICATION.exec(r.justification);
          if (m) latest.set(m[1]!, r);
        }
        for (const [id, r] of latest) {
          if (
            r.requestType === "AdminRemove" ||
            !r.endDateTime ||
            Date.parse(r.endDateTime) <= now().getTime()
          )
            continue;
          out.push({
            id,
            requestId: id.split("/")[0]!,
            provider: "azure",
            principal: r.principalId,
            notBefore: new Date(r.startDateTime).toISOString(),
            notAfter: new Date(r.endDateTime).toISOString(),
            scope,
          });
        }
      }
      return out;
    },
    async reconcile({ put, remove }) {
      const report: ProviderReport = { done: [], failed: [] };
      const held = new Set((await this.list([...put.map((b) => scopeOf(b))])).map((a) => a.id));
      for (const b of put) {
        if (!("azure" in b.grant)) continue;
        const { scope, role } = b.grant.azure;
        try {
          const requestType = held.has(b.id) ? "AdminUpdate" : "AdminAssign";
          await send(scope, {
            name: requestName(b.id, requestType, b.notAfter),
            principalId: b.principal,
            roleDefinitionId: await roleId(scope, role),
            requestType,
            justification: justification(b),
            startDateTime: b.notBefore,
            endDateTime: b.notAfter,
          });
          report.done.push(b.id);
        } catch (e) {
          report.failed.push({ id: b.id, error: `${scope}: ${(e as Error).message}` });
        }
      }
      for (const a of remove) {
        try {
          const roleDefinitionId = await roleIdOf(client, a);
          await send(a.scope, {
            name: requestName(a.id, "AdminRemove", a.notAfter),
            principalId: a.principal,
            roleDefinitionId,
            requestType: "AdminRemove",
            justification: `${MARKER}:${a.id} removed by jitops`,
            startDateTime: now().toISOString(),
          });
          report.done.push(a.id);
        } catch (e) {
          // PIM refuses removals within 5 minutes of assignment: the next sweep retries.
          report.failed.push({ id: a.id, error: `${a.scope}: ${(e as Error).message}` });
        }
      }
      return report;
    },
  };
}

function justification(b: Binding): string {
  return `${MARKER}:${b.id} ${b.entitlement} for ${b.login} until ${b.notAfter}`;
}

/** The role definition of a held binding, read back from its latest request. */
async function roleIdOf(client: PimClient, a: ActualBinding): Promise<string> {
  const requests = await client.list(a.scope);
  const mine = requests.filter(
    (r) => JUSTIFICATION.exec(r.justification)?.[1] === a.id && r.roleDefinitionId,
  );
  const last = mine.sort((x, y) => (x.createdOn ?? "").localeCompare(y.createdOn ?? "")).pop();
  if (!last) throw new Error(`no PIM request of jitops binding ${a.id} found at ${a.scope}`);
  return last.roleDefinitionId;
}
