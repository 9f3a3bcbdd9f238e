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

/** The same eligibility rules in Cedar: one permit per entitlement, eligible by team or by user. */
function cedarPolicies(p: Policy): string {
  return p.entitlements
    .map((e) => {
      const who = [
        ...(e.eligible.teams ?? []).map((t) => `principal in Team::"${t}"`),
        ...(e.eligible.users ?? []).map((u) => `principal == User::"${u}"`),
      ].join(" || ");
      return `permit(principal, action == Action::"request", resource == Entitlement::"${e.name}") when { ${who} };`;
    })
    .join("\n");
}

/** Decision time of jitops (compiled policy) and of Cedar (preparsed policy set) at `n` entitlements. */
export function benchDecision(n: number, iterations: number) {
  const policy = syntheticPolicy(n);
  const compiled = compilePolicy(policy);
  // Half the questions are eligible by construction (by user or by team), half are not.
  const questions = Array.from({ length: 64 }, (_, i) => {
    const k = (i * 104729) % n;
    const byUser = i % 4 === 0;
    const byTeam = i % 4 === 1;
    return {
      login: byUser ? `user-${k % 997}` : `user-${(k + 1) % 997}`,
      teams: [byTeam ? `acme/team-${k % TEAMS}` : `acme/team-${(k + 1) % TEAMS}`, "acme/other"],
      entitlement: `ent-${k}`,
    };
  });
  const askJitops = (q: (typeof questions)[number]) => {
    const e = compiled.entitlements.get(q.entitlement);
    return Boolean(e && isEligible(e, q.login, q.teams));
  };
  const id = `bench-${n}`;
  const parsed = cedar.preparsePolicySet(id, { staticPolicies: cedarPolicies(policy) });
  if (parsed.type !== "success") throw new Error(`cedar policies did not parse: ${JSON.stringify(parsed)}`);
  const askCedar = (q: (typeof questions)[number]) => {
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
    return answer.type === "success" && answer.response.decision === "allow";
  };
  // Both engines must give the same answer to every question, or the comparison means nothing.
  for (const q of questions) {
    if (askJitops(q) !== askCedar(q)) throw new Error(`jitops and cedar disagree on ${JSON.stringify(q)}`);
  }
  const jitopsUs = perCallMicros(iterations * 100, (i) => askJitops(questions[i % questions.length]!));
  const cedarUs = perCallMicros(iterations, (i) => askCedar(questions[i % questions.length]!));
  return {
    entitlements: n,
    jitops_us: round(jitopsUs, 3),
    cedar_us: round(cedarUs, 1),
    speedup: Math.round(cedarUs / jitopsUs),
  };
}
