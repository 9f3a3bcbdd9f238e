import { ownersOf } from "../codeowners.js";
import { ownerKind } from "../codeowners/owner-kind.js";
import { isCertificationPath } from "../certification/certification-path.js";
import { scopeReviewers } from "../certification/certification-scopes.js";
import { isRequestPath } from "../check-request.js";
import type { ApprovalRule } from "../types.js";
import { parseYaml } from "../yaml/parse-yaml.js";
import type { PreparedBase } from "./prepare-base.js";
import type { ChangedFile } from "./pull-snapshot.js";

/**
 * The teams whose members a decision on these changed files needs: eligibility and rule teams
 * of the requested entitlements (or policy owners), and team code owners of the paths.
 * Lets an adapter fetch exactly the directory the decision reads.
 */
export function teamsToResolve(base: PreparedBase, files: ChangedFile[]): string[] {
  const policy = base.loaded.policy;
  if (!policy) return [];
  const teams = new Set<string>();
  const addRules = (rules: ApprovalRule[] | "none", paths: string[]) => {
    if (rules === "none") return;
    for (const r of rules) {
      for (const t of r.from.teams ?? []) teams.add(t);
      if (r.from.codeowners) {
        for (const p of paths)
          for (const o of ownersOf(base.codeowners.rules, p))
            if (ownerKind(o) === "team") teams.add(o.slice(1));
      }
    }
  };
  let repositoryChange = false;
  for (const f of files) {
    if (isCertificationPath(f.path) && f.status !== "removed") {
      // A certification is approved by its policy's reviewers; the record names the policy.
      const parsed = f.content === undefined ? undefined : parseYaml(f.content);
      const name = parsed?.ok
        ? (parsed.value.data as { metadata?: { name?: unknown } } | null)?.metadata?.name
        : undefined;
      const scope = typeof name === "string" ? base.certifications?.scopes.get(name) : undefined;
      if (scope) addRules(scopeReviewers(scope.items), [f.path]);
      continue;
    }
    if (
      !isRequestPath(f.path) ||
      (f.status === "renamed" && f.previousPath && !isRequestPath(f.previousPath))
    )
      repositoryChange = true;
    if (!isRequestPath(f.path) || f.status === "removed" || f.content === undefined) continue;
    const parsed = parseYaml(f.content);
    const name = parsed.ok
      ? (parsed.value.data as { spec?: { entitlement?: unknown } } | null)?.spec?.entitlement
      : undefined;
    const e = typeof name === "string" ? policy.entitlements.get(name) : undefined;
    if (!e) continue;
    for (const t of e.source.eligible.teams ?? []) teams.add(t);
    addRules(e.source.approval, [f.path]);
  }
  if (repositoryChange)
    addRules(
      policy.source.policyOwners,
      files.map((f) => f.path),
    );
  return [...teams].sort();
}
