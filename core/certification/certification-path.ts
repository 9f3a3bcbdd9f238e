/** Where certification records live: one per policy, `access/certifications/<policy>.yaml`. */
export const CERTIFICATIONS_DIR = "access/certifications";

/** Is this a certification record path (`access/certifications/*.yaml`)? */
export function isCertificationPath(path: string): boolean {
  return /^access\/certifications\/[^/]+\.ya?ml$/.test(path);
}

/** The record path of the policy named `policy` (a policy file's metadata.name). */
export function certificationPath(policy: string): string {
  return `${CERTIFICATIONS_DIR}/${policy}.yaml`;
}

/** The branch jitops opens a policy's certification pull request from. */
export function certificationBranch(policy: string): string {
  return `jitops/certify/${policy}`;
}
