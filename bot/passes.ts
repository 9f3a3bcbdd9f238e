import type { Probot } from "probot";
import { certify } from "../app/certify.js";
import { decideCertification } from "../app/decide-certification.js";
import { reconcileRepo } from "../app/reconcile-pulls.js";
import { sweepExpired } from "../app/sweep-expired.js";
import { certificationGitHub } from "../github/certification-github.js";
import type { GitHubInstance } from "../github/github-instance.js";
import { recoverDeliveries, type RecoveryReport } from "../github/recover-deliveries.js";
import { fullName } from "../github/repo-ref.js";
import type { BotMetrics } from "./bot-metrics.js";
import type { Installations } from "./installations.js";
import { installationClient } from "./probot-client.js";
import type { botUseCaseDeps } from "./use-case-deps.js";

/**
 * How a pass creates check runs: `direct` (a person or test asked) creates them; `periodic` (a timer on
 * one of N replicas) creates one only for a head it already saw unchecked in its previous pass, so
 * it never races the replica handling that head's delivery into a second check run.
 */
export type PassMode = "direct" | "periodic";

/** The bot's periodic passes over every repository it knows. */
export interface BotPasses {
  /** Re-decides every open PR; `periodic`: a head seen without a check run for the first time is left to its delivery. */
  reconcileAll: (probot: Probot, pass?: PassMode) => Promise<void>;
  /** Sweeps expiries; `periodic`: a new revert PR is merged by a later pass, once its check run exists. */
  sweepAll: (probot: Probot, pass?: PassMode) => Promise<void>;
  /** Asks GitHub to redeliver the App's deliveries since `since` that never got a successful answer. */
  recoverAll: (probot: Probot, since: Date) => Promise<RecoveryReport>;
  /** Opens due certification pull requests and reminds reviewers, in every known repository. */
  certifyAll: (probot: Probot) => Promise<void>;
}

/** The passes, each visiting every repository of every installation with that installation's client. */
export function botPasses(deps: {
  instance: GitHubInstance;
  installations: Installations;
  useCases: ReturnType<typeof botUseCaseDeps>;
  /** Without clouds, sweeps do nothing. */
  grants: boolean;
  metrics?: BotMetrics;
}): BotPasses {
  const { instance, installations, useCases, metrics } = deps;
  async function* visit(probot: Probot) {
    for (const { installationId, repo: r } of await installations.discover(probot)) {
      const s = instance.session(await installationClient(probot, installationId), installationId);
      const { decide, grants } = useCases(s, r, probot.log);
      yield { r, repo: instance.repo(s, r), s, decide, grants };
    }
  }

  // Heads the last periodic reconcile found without a check run (`owner/repo#n@sha`): the next one creates theirs.
  let unchecked = new Set<string>();
  const reconcileAll = async (probot: Probot, pass: PassMode = "direct") => {
    const seen = new Set<string>();
    for await (const { r, repo, decide } of visit(probot)) {
      const id = (p: { number: number; headSha: string }) => `${fullName(r)}#${p.number}@${p.headSha}`;
      const report = await reconcileRepo(
        decide,
        repo,
        pass === "periodic" ? { createCheck: (p) => unchecked.has(id(p)) } : {},
      );
      for (const p of report.deferred) seen.add(id(p));
      probot.log.info({ reconcile: report }, "jitops reconcile");
    }
    if (pass === "periodic") unchecked = seen;
  };

  // Bindings the last periodic sweep found missing (`owner/repo:id`): the next one adds them if still missing.
  let unapplied = new Set<string>();
  const sweepAll = async (probot: Probot, pass: PassMode = "direct") => {
    if (!deps.grants) return;
    const missing = new Set<string>();
    for await (const { r, repo, decide, grants } of visit(probot)) {
      const id = (binding: string) => `${fullName(r)}:${binding}`;
      const report = await sweepExpired(
        { ...grants, ...(pass === "periodic" ? { addNow: (b: string) => unapplied.has(id(b)) } : {}) },
        decide,
        repo,
        pass === "periodic" ? { createCheck: false } : {},
      );
      for (const b of report.deferred) missing.add(id(b));
      probot.log.info({ sweep: { ...report, plan: undefined, bindings: undefined } }, "jitops sweep");
    }
    if (pass === "periodic") unapplied = missing;
  };

  const certifyAll = async (probot: Probot) => {
    for await (const { r, repo, s, decide } of visit(probot)) {
      const ports = { ...certificationGitHub(s, r), decide: decideCertification(decide, repo) };
      const report = await certify(ports, {
        repository: fullName(r),
        now: instance.clock(),
        dueOnly: true,
        ...(decide.events ? { emit: (e) => decide.events!.emit(e) } : {}),
      });
      probot.log.info({ certify: report }, "jitops certify");
    }
  };

  const recoverAll = async (probot: Probot, since: Date) => {
    // The deliveries API takes the App's JWT, not an installation token.
    const report = await recoverDeliveries(await installationClient(probot), { since });
    metrics?.redeliveries.inc({ outcome: "requested" }, report.redelivered.length);
    if (report.redelivered.length > 0 || report.givenUp.length > 0)
      probot.log.info(
        { recovery: { attempts: report.attempts, redelivered: report.redelivered, givenUp: report.givenUp } },
        `jitops: asked GitHub to redeliver ${report.redelivered.length} failed deliveries`,
      );
    return report;
  };

  return { reconcileAll, sweepAll, recoverAll, certifyAll };
}
