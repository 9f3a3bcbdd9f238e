import type { ActivityRecord } from "../core/activity/activity-record.js";
import type { ActivitySubject, ActivityWindow } from "../core/activity/activity-window.js";
import { proposeRole, type RightsizeProposal } from "../core/activity/propose-role.js";
import type { RoleDefinition } from "../core/activity/role-definition.js";
import { recordActivity, type ActivityReader } from "./activity-record.js";

/** A cloud's role definitions: the role held, and candidate roles to propose instead. */
export interface RoleCatalogue {
  provider: "gcp" | "azure";
  role(name: string): Promise<RoleDefinition>;
  candidates(): Promise<RoleDefinition[]>;
}

/** The roles to right-size and the windows whose activity decides: an entitlement's recent grants, or a workload's period. */
export interface RightsizeInput {
  subject: ActivitySubject;
  windows: readonly ActivityWindow[];
  roles: readonly { provider: "gcp" | "azure"; role: string }[];
}

/** The records read and one proposal per role. */
export interface RightsizeReport {
  records: ActivityRecord[];
  proposals: RightsizeProposal[];
}

/**
 * Compares what was used in the windows with what each role grants ("used 3 of 412 permissions")
 * and proposes the smallest known role covering the use, else a custom role; windows with no
 * activity at all are counted as standing access nobody used.
 */
export async function rightsize(
  deps: { readers: readonly ActivityReader[]; catalogues: readonly RoleCatalogue[] },
  input: RightsizeInput,
): Promise<RightsizeReport> {
  const records = await recordActivity(deps.readers, input.windows);
  const proposals: RightsizeProposal[] = [];
  for (const held of input.roles) {
    const catalogue = deps.catalogues.find((c) => c.provider === held.provider);
    if (!catalogue) continue;
    const mine = records.filter((r) => r.window.provider === held.provider);
    const [role, candidates] = await Promise.all([catalogue.role(held.role), catalogue.candidates()]);
    proposals.push(
      proposeRole({
        subject: input.subject,
        role,
        used: mine.flatMap((r) => r.permissions),
        windows: mine.length,
        idleWindows: mine.filter((r) => r.noActivity).length,
        candidates,
      }),
    );
  }
  return { records, proposals };
}
