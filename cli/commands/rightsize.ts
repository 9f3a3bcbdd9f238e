import type { Clock } from "../../core/clock.js";
import type { Env } from "../../core/env.js";
import type { ActivityWindow } from "../../core/activity/activity-window.js";
import { narrowPolicyRole } from "../../core/activity/narrow-policy.js";
import type { RightsizeProposal } from "../../core/activity/propose-role.js";
import { isPolicyPath } from "../../core/load-policy.js";
import type { SourceFile } from "../../core/types.js";
import type { ActivityReader } from "../../app/activity-record.js";
import { rightsizeWindows, type RequestHistory } from "../../app/activity-windows.js";
import { rightsize, type RoleCatalogue } from "../../app/rightsize.js";
import type { GitHubClient } from "../../github/client.js";
import { readRepoBase } from "../../tree/read-repo-base.js";
import { UsageError } from "../command-spec.js";
import { EXIT } from "../exit-status.js";
import type { Output } from "../output.js";
import { printJson } from "../report-failure.js";
import { localPolicy, sinceMs } from "./activity.js";
import { parseRepo } from "./remote.js";

/** Options of `jitops rightsize`. */
export interface RightsizeOptions {
  json?: boolean;
  root: string;
  since?: string;
  author?: string;
  /** Open a pull request narrowing the entitlement's role (needs `repo` and a GitHub token). */
  pr?: boolean;
  repo?: string;
}

/** What `jitops rightsize` reads and writes through (injected by tests). */
export interface RightsizeDeps {
  readers: readonly ActivityReader[];
  catalogues: readonly RoleCatalogue[];
  history: RequestHistory;
  heldRoles(window: ActivityWindow): Promise<string[]>;
  /** A GitHub client for `--pr`. */
  github?: () => GitHubClient;
  openPr?: (
    gh: GitHubClient,
    repo: { owner: string; repo: string },
    input: { entitlement: string; file: SourceFile; title: string; body: string },
  ) => Promise<number>;
}

function line(p: RightsizeProposal): string {
  const c = p.change;
  const what =
    c.kind === "role"
      ? `propose ${c.role}`
      : c.kind === "custom"
        ? `propose a custom role of ${c.definition.permissions.length} permissions`
        : c.kind === "unused"
          ? "unused: standing access nobody used"
          : "keep";
  return `${p.provider} ${p.role}: ${p.summary}; ${what} (${c.reason})${p.idleWindows ? `; ${p.idleWindows} window${p.idleWindows === 1 ? "" : "s"} with no activity` : ""}`;
}

/**
 * `jitops rightsize <entitlement | workload>`: compares what was used (an entitlement's recent
 * grants, a workload over `--since`, 90 days by default) with what each role grants and proposes
 * the smallest known role covering it; `--pr` opens the pull request narrowing the policy.
 */
export async function runRightsize(
  name: string,
  opts: RightsizeOptions,
  o: Output,
  now: Clock,
  deps: RightsizeDeps,
): Promise<number> {
  if (opts.pr && !opts.repo)
    throw new UsageError("rightsize --pr needs --repo <owner/name> (and GITHUB_TOKEN)");
  const policy = await localPolicy(opts.root);
  const resolved = await rightsizeWindows(name, {
    policy,
    history: deps.history,
    now: now(),
    sinceMs: sinceMs(opts.since, "90d"),
    heldRoles: deps.heldRoles,
    ...(opts.author ? { author: opts.author } : {}),
  });
  if (!resolved.ok) throw new UsageError(resolved.message);
  const report = await rightsize({ readers: deps.readers, catalogues: deps.catalogues }, resolved);
  let pr: number | undefined;
  if (opts.pr) {
    if (resolved.subject.kind === "workload")
      throw new UsageError(
        `rightsize --pr narrows an entitlement's role in policy; ${name} is a workload, whose roles are bound to its service account or application outside policy: apply the proposal there`,
      );
    const change = report.proposals.find((p) => p.change.kind === "role");
    if (!change || change.change.kind !== "role")
      throw new UsageError(
        `no predefined role narrower than ${report.proposals.map((p) => p.role).join(", ") || "the entitlement's roles"} covers what was used; nothing to propose in a pull request (a custom role must be created first)`,
      );
    const files = (await readRepoBase(opts.root)).filter((f) => isPolicyPath(f.path));
    const narrowed = narrowPolicyRole(files, {
      entitlement: name,
      provider: change.provider,
      from: change.role,
      to: change.change.role,
    });
    if (!narrowed.ok) throw new UsageError(`${narrowed.error.code}: ${narrowed.error.message}`);
    if (!deps.github || !deps.openPr) throw new UsageError("rightsize --pr needs GITHUB_TOKEN");
    pr = await deps.openPr(deps.github(), parseRepo(opts.repo!), {
      entitlement: name,
      file: narrowed.file,
      title: `Rightsize ${name}: ${change.role} → ${change.change.role}`,
      body: [
        `jitops rightsize: ${change.summary}.`,
        "",
        `${change.change.role} allows every permission used: ${change.used.map((p) => `\`${p}\``).join(", ")}.`,
        "",
        "This changes policy only; policy owners review it like any policy change.",
      ].join("\n"),
    });
  }
  if (opts.json)
    printJson(o, {
      ok: true,
      subject: resolved.subject,
      proposals: report.proposals,
      ...(pr ? { pr } : {}),
      problems: resolved.problems,
    });
  else {
    if (report.proposals.length === 0) o.out(`${name}: no GCP or Azure role to right-size`);
    for (const p of report.proposals) o.out(line(p));
    if (pr) o.out(`opened #${pr} narrowing ${name}`);
    for (const p of resolved.problems) o.err(`warning: ${p}`);
  }
  return EXIT.ok;
}

/** Readers, role catalogues, roles held (GCP IAM policies) and GitHub from the environment. */
export async function rightsizeDepsFromEnv(
  root: string,
  env: Env,
  now: Clock,
  opts: { apiUrl?: string; repo?: string } = {},
): Promise<RightsizeDeps> {
  const { activityDepsFromEnv } = await import("./activity.js");
  const { roleCataloguesFromEnv } = await import("../../activity/readers-from-env.js");
  const { gcpRolesHeld } = await import("../../activity/gcp-held-roles.js");
  const { resourceManagerClient } = await import("../../providers/gcp-iam-client.js");
  const { openRightsizePr } = await import("../../activity/open-rightsize-pr.js");
  const { remoteClient } = await import("./remote.js");
  const base = await activityDepsFromEnv(root, env, now);
  const policy = await localPolicy(root);
  const azureScope = policy.entitlements
    .flatMap((e) => e.grants)
    .map((g) => ("azure" in g ? g.azure.scope : undefined))
    .find((s) => s !== undefined);
  return {
    ...base,
    catalogues: roleCataloguesFromEnv(env, azureScope),
    heldRoles: async (w) =>
      w.provider === "gcp" ? gcpRolesHeld(resourceManagerClient(), w.scopes[0]!, w.principal) : [],
    github: () =>
      remoteClient({ repo: opts.repo ?? "", ...(opts.apiUrl ? { apiUrl: opts.apiUrl } : {}) }, env),
    openPr: openRightsizePr,
  };
}
