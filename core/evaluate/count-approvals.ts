import type { Identities } from "./identities.js";
import type { PullSnapshot } from "./pull-snapshot.js";

/** Reviews reduced to what counts: valid approvals on the head, and standing change requests. */
export interface ReviewTally {
  /** Users whose latest review approves the head SHA and who may count at all. */
  approvals: Set<number>;
  /** Users whose latest review requests changes (on any commit: it holds across pushes). */
  changesRequested: Set<number>;
}

/**
 * Counts reviews: each reviewer's latest non-dismissed APPROVED or CHANGES_REQUESTED review
 * (comments do not replace it, as on GitHub), identified by numeric id. Approvals count only on
 * the head SHA, never from bots, the author or a commit author; unknown reviewers are ignored.
 */
export function tallyReviews(pr: PullSnapshot, who: Identities): ReviewTally {
  const latest = new Map<number, { state: string; commit: string; login: string }>();
  for (const r of pr.reviews) {
    const id = who.idOf(r.user, r.userId);
    if (id === undefined) continue;
    // Dismissed reviews no longer stand; comments and pending drafts do not replace a verdict.
    if (r.state !== "APPROVED" && r.state !== "CHANGES_REQUESTED") continue;
    latest.set(id, { state: r.state, commit: r.commit, login: r.user });
  }
  const approvals = new Set<number>();
  const changesRequested = new Set<number>();
  for (const [id, r] of latest) {
    if (who.isBot(id, r.login) || who.excluded.has(id)) continue;
    if (r.state === "CHANGES_REQUESTED") changesRequested.add(id);
    else if (r.commit === pr.head) approvals.add(id);
  }
  return { approvals, changesRequested };
}
