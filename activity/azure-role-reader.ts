import { AuthorizationManagementClient } from "@azure/arm-authorization";
import type { TokenCredential } from "@azure/identity";
import { EMBEDDED_ROLES } from "../core/activity/role-catalogue.js";
import type { RoleDefinition } from "../core/activity/role-definition.js";
import type { RoleCatalogue } from "../app/rightsize.js";
import { armClientOptions, useLoopbackBearer, type ArmEndpointOptions } from "./arm-loopback.js";

/** Azure role definitions (`actions`, `notActions`, `dataActions`) at a scope, built-in roles as candidates. */
export function azureRoleReader(
  credential: TokenCredential,
  scope: string,
  opts: ArmEndpointOptions = {},
): RoleCatalogue {
  const client = new AuthorizationManagementClient(
    credential,
    "00000000-0000-0000-0000-000000000000",
    armClientOptions(opts),
  );
  useLoopbackBearer(client.pipeline, credential, opts);
  const sdkScope = scope.replace(/^\//, "");
  const list = async (filter?: string): Promise<RoleDefinition[]> => {
    const out: RoleDefinition[] = [];
    for await (const d of client.roleDefinitions.list(sdkScope, filter ? { filter } : {})) {
      const perms = d.permissions ?? [];
      out.push({
        provider: "azure",
        name: d.roleName ?? "",
        permissions: perms.flatMap((p) => [...(p.actions ?? []), ...(p.dataActions ?? [])]),
        notPermissions: perms.flatMap((p) => [...(p.notActions ?? []), ...(p.notDataActions ?? [])]),
      });
    }
    return out;
  };
  return {
    provider: "azure",
    async role(name) {
      const [found] = await list(`roleName eq '${name.replace(/'/g, "''")}'`);
      if (!found) throw new Error(`Azure has no role definition named ${name} at ${scope}`);
      return found;
    },
    async candidates() {
      try {
        return await list("type eq 'BuiltInRole'");
      } catch {
        return EMBEDDED_ROLES.filter((r) => r.provider === "azure");
      }
    },
  };
}
