import * as cedar from "@cedar-policy/cedar-wasm/nodejs";
import { compilePolicy, isEligible } from "../core/compile-policy.js";
import type { Entitlement, Policy } from "../core/types.js";
import { perCallMicros, round } from "./measure.js";

const TEAMS = 50;

/** A synthetic policy of `n` entitlements, each eligible to one team and one user. */
function syntheticPolicy(n: number): Policy {
  const entitlements: Entitlement[] = [];
  for (let i = 0; i < n; i++) {
    entitlements.push({
      name: `ent-${i}`,
      grants: [{ gcp: { resource: `projects/p-${i}`, role: "roles/browser" } }],
      eligible: { teams: [`acme/team-${i % TEAMS}`], users: [`user-${i % 997}`] },
      maxDuration: "4h",
      approval: [{ count: 1, from: { teams: ["acme/sre"] } }],
    });
  }
  return { principals: {}, policyOwners: [], entitlements, workloads: [] };
}

/** The same eligibility rules in Cedar: one permit per (entitlement, team) and (entitlement, user). */
function cedarPolicies(p: Policy): string {
  const out: string[] = [];
  for (const e of p.entitlements) {
    for (const t of e.eligible.teams ?? []) {
      out.push(
        `permit(principal in Team::"${t}", action == Action::"request", resource == Entitlement::"${e.name}");`,
      );
    }
    for (const u of e.eligible.users ?? []) {
      out.push(
        `permit(principal == User::"${u}", action == Action::"request", resource == Entitlement::"${e.name}");`,
      );
    }
  }
  return out.join("\n");
}

/** Decision time of jitops (compiled policy) and of Cedar (preparsed policy set) at `n` entitlements. */
export function benchDecision(n: number, iterations: number) {
  const policy = syntheticPolicy(n);
  const compiled = compilePolicy(policy);
  const questions = Array.from({ length: 64 }, (_, i) => ({
    login: `user-${(i * 31) % 997}`,
    teams: [`acme/team-${(i * 7) % TEAMS}`, "acme/other"],
    entitlement: `ent-${(i * 104729) % n}`,
  }));
  let yes = 0;
  const jitopsUs = perCallMicros(iterations * 100, (i) => {
    const q = questions[i % questions.length]!;
    const e = compiled.entitlements.get(q.entitlement);
    if (e && isEligible(e, q.login, q.teams)) yes++;
  });

  const id = `bench-${n}`;
  const parsed = cedar.preparsePolicySet(id, { staticPolicies: cedarPolicies(policy) });
  if (parsed.type !== "success") throw new Error(`cedar policies did not parse: ${JSON.stringify(parsed)}`);
  let cedarYes = 0;
  const cedarUs = perCallMicros(iterations, (i) => {
    const q = questions[i % questions.length]!;
    const answer = cedar.statefulIsAuthorized({
      principal: { type: "User", id: q.login },
      action: { type: "Action", id: "request" },
      resource: { type: "Entitlement", id: q.entitlement },
      context: {},
      preparsedPolicySetId: id,
      entities: [
        {
          uid: { type: "User", id: q.login },
          attrs: {},
          parents: q.teams.map((t) => ({ type: "Team", id: t })),
        },
        ...q.teams.map((t) => ({ uid: { type: "Team", id: t }, attrs: {}, parents: [] })),
      ],
    });
    if (answer.type === "success" && answer.response.decision === "allow") cedarYes++;
  });
  // Both engines must agree, or the comparison means nothing.
  const agree = Math.sign(yes) === Math.sign(cedarYes);
  if (!agree) throw new Error("jitops and cedar disagree on the bench questions");
  return {
    entitlements: n,
    jitops_us: round(jitopsUs, 3),
    cedar_us: round(cedarUs, 1),
    speedup: Math.round(cedarUs / jitopsUs),
  };
}
