/** Every way a replayed request can fare differently under the head policy, most serious first. */
export const IMPACT_KINDS = [
  "newly-invalid",
  "newly-denied",
  "entitlement-removed",
  "eligibility-removed",
  "max-duration-lowered",
  "break-glass-removed",
  "requirement-added",
  "no-longer-approved",
  "needs-more-approvals",
  "approvers-changed",
  "eligibility-changed",
  "fewer-approvals",
  "eligibility-added",
  "now-approved",
  "no-longer-blocked",
] as const;

/** One way a request's outcome changed. */
export type ImpactKind = (typeof IMPACT_KINDS)[number];

/** How each kind reads in the headline's counts (`2 become denied`). */
export const KIND_PHRASE: Record<ImpactKind, string> = {
  "newly-invalid": "become invalid",
  "newly-denied": "become denied",
  "entitlement-removed": "lose their entitlement",
  "eligibility-removed": "lose their requester's eligibility",
  "max-duration-lowered": "exceed a lowered maxDuration",
  "break-glass-removed": "lose break-glass",
  "requirement-added": "miss a new requirement",
  "no-longer-approved": "would no longer be approved",
  "needs-more-approvals": "need more approvals",
  "approvers-changed": "need approvals from other people",
  "eligibility-changed": "change who is eligible",
  "fewer-approvals": "need fewer approvals",
  "eligibility-added": "gain eligibility",
  "now-approved": "would now be approved",
  "no-longer-blocked": "are no longer invalid or denied",
};
