import type { GitHubWorkload } from "../types.js";
import type { TrustRule } from "./trust-rule.js";

/** GitHub Actions' OIDC issuer on github.com; GHEC, data residency and GHES use others (policy `issuer`). */
export const GITHUB_ACTIONS_ISSUER = "https://token.actions.githubusercontent.com";

/** The audience Microsoft Entra expects on a federated assertion. */
export const AZURE_AUDIENCE = "api://AzureADTokenExchange";

/**
 * The trust rule of a GitHub Actions workload: the immutable repository and owner ids always,
 * and the ref, environment and workflow file where policy names them. Never the name alone.
 */
export function githubActionsRule(w: GitHubWorkload): TrustRule {
  const claims: TrustRule["claims"] = [
    { claim: "repository_id", equals: String(w.repositoryId) },
    { claim: "repository_owner_id", equals: String(w.ownerId) },
  ];
  if (w.ref) claims.push({ claim: "ref", equals: w.ref });
  if (w.environment) claims.push({ claim: "environment", equals: w.environment });
  // workflow_ref is "owner/repo/<path>@<ref>"; the ids above already pin the repository.
  if (w.workflow) claims.push({ claim: "workflow_ref", prefix: `${w.repository}/${w.workflow}@` });
  return { workload: w.name, issuer: w.issuer ?? GITHUB_ACTIONS_ISSUER, claims };
}

/**
 * The exact `sub` GitHub issues for the workload, for Azure federated credentials (which match
 * `sub` exactly). The id-bearing form is the default for repositories since mid-2026.
 */
export function githubSubject(w: GitHubWorkload, form: "ids" | "name" = "ids"): string {
  const [owner, repo] = w.repository.split("/");
  const esc = (s: string) => s.replace(/:/g, "%3A");
  const who = form === "ids" ? `${owner}@${w.ownerId}/${repo}@${w.repositoryId}` : `${owner}/${repo}`;
  if (w.environment) return `repo:${who}:environment:${esc(w.environment)}`;
  if (w.ref) return `repo:${who}:ref:${esc(w.ref)}`;
  throw new Error(
    `workload ${w.name} needs an environment or a ref: Azure matches the token subject exactly`,
  );
}
