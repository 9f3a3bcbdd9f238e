import { EMBEDDED_ROLES } from "../core/activity/role-catalogue.js";
import type { RoleDefinition } from "../core/activity/role-definition.js";
import type { RoleCatalogue } from "../app/rightsize.js";
import { googleRest, type GoogleRestOptions } from "./google-rest.js";

interface IamRole {
  name?: string;
  title?: string;
  includedPermissions?: string[];
}

const definition = (r: IamRole): RoleDefinition => ({
  provider: "gcp",
  name: r.name ?? "",
  ...(r.title ? { title: r.title } : {}),
  permissions: r.includedPermissions ?? [],
});

/**
 * GCP roles from IAM (`GET /v1/roles/ROLE`, `GET /v1/roles?view=FULL`), with the embedded catalogue as
 * candidates when the list cannot be read. Predefined roles are public: any credentials may read them.
 */
export function gcpRoleReader(opts: GoogleRestOptions = {}): RoleCatalogue {
  const call = googleRest("https://iam.googleapis.com", opts);
  return {
    provider: "gcp",
    async role(name) {
      // Predefined `roles/x`, or a custom role under its project or organisation (`projects/p/roles/r`).
      return definition(await call<IamRole>("GET", `/v1/${name}`));
    },
    async candidates() {
      const out: RoleDefinition[] = [];
      try {
        let token: string | undefined;
        do {
          const page = await call<{ roles?: IamRole[]; nextPageToken?: string }>(
            "GET",
            `/v1/roles?view=FULL&pageSize=1000${token ? `&pageToken=${encodeURIComponent(token)}` : ""}`,
          );
          out.push(...(page.roles ?? []).map(definition));
          token = page.nextPageToken || undefined;
        } while (token);
      } catch {
        return EMBEDDED_ROLES.filter((r) => r.provider === "gcp");
      }
      const known = new Set(out.map((r) => r.name));
      return [...out, ...EMBEDDED_ROLES.filter((r) => r.provider === "gcp" && !known.has(r.name))];
    },
  };
}
