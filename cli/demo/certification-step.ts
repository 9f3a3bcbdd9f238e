import { ACCESS_REPO, type GrantsWorld } from "./grants-world.js";

const RECORD = "access/certifications/production.yaml";
/** The production policy's cadence: security re-certifies every 90 days; no answer keeps access, with a warning. */
const CERTIFICATION = `  certification:
    every: 90d
    reviewers: {name: security, count: 1, from: {teams: [acme/security]}}
    onNoResponse: keep
`;

/**
 * frank puts the production policy under quarterly certification; the bot's certify pass (its timer)
 * opens the certification pull request with the record of who may hold what now; grace, in
 * acme/security, approves its head; the bot merges it, and the record is on the default branch.
 */
export async function certificationSteps(
  w: GrantsWorld,
  step: (name: string, ok: boolean, detail: string) => void,
): Promise<void> {
  const gh = w.github;
  const production = gh.readFile(ACCESS_REPO, gh.branchSha(ACCESS_REPO), "policies/production.yaml") ?? "";
  gh.commit(ACCESS_REPO, "main", {
    author: "frank",
    message: "Certify production access every 90 days",
    files: { "policies/production.yaml": production.replace("spec:\n", `spec:\n${CERTIFICATION}`) },
  });
  await gh.awaitDeliveries();
  await w.bot.certifyAll();
  await gh.awaitDeliveries();
  await w.bot.idle();
  const pulls = allPulls(w).filter((p) => p.headRef.startsWith("jitops/certify/"));
  const pr = pulls[0];
  const record = pr ? (gh.readFile(ACCESS_REPO, pr.headSha, RECORD) ?? "") : "";
  const reminded = pr
    ? gh.listComments(ACCESS_REPO, pr.number).some((c) => c.body.includes("@acme/security"))
    : false;
  step(
    "certification-opened",
    pulls.length === 1 && record.includes("prod-db-reader") && reminded,
    `the certify pass opened #${pr?.number ?? "?"} writing ${RECORD}: who may hold each production entitlement now, teams expanded; @acme/security asked to review`,
  );

  if (pr) {
    gh.submitReview(ACCESS_REPO, pr.number, { user: "grace", state: "APPROVED" });
    await gh.awaitDeliveries();
    await w.bot.idle();
  }
  const after = pr ? gh.getPullRequest(ACCESS_REPO, pr.number) : undefined;
  const onMain = gh.readFile(ACCESS_REPO, gh.branchSha(ACCESS_REPO), RECORD);
  step(
    "certification-approved",
    after?.merged === true && onMain !== undefined && onMain === record,
    `grace (acme/security) approved the head; the bot merged #${pr?.number ?? "?"}: production access is certified for 90 days`,
  );
}

/** Every pull request of the access repository (the simulator numbers them from 1). */
function allPulls(w: GrantsWorld) {
  const out: ReturnType<GrantsWorld["github"]["getPullRequest"]>[] = [];
  for (let n = 1; ; n++) {
    try {
      out.push(w.github.getPullRequest(ACCESS_REPO, n));
    } catch {
      return out;
    }
  }
}
