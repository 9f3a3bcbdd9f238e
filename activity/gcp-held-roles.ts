import type { IamPolicyClient } from "../providers/gcp-iam-client.js";

/** The roles a member holds on a resource by its IAM policy (unconditional and conditional bindings alike), sorted. */
export async function gcpRolesHeld(
  client: IamPolicyClient,
  resource: string,
  member: string,
): Promise<string[]> {
  const policy = await client.get(resource);
  const roles = (policy.bindings ?? [])
    .filter((b) => (b.members ?? []).includes(member))
    .map((b) => b.role ?? "");
  return [...new Set(roles.filter(Boolean))].sort();
}
