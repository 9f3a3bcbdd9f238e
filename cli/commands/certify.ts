import type { Clock } from "../../core/clock.js";
import type { Env } from "../../core/env.js";
import { certify } from "../../app/certify.js";
import { decideCertification } from "../../app/decide-certification.js";
import { certificationGitHub } from "../../github/certification-github.js";
import type { Output } from "../output.js";
import { EXIT } from "../exit-status.js";
import { remoteContext, type RemoteOptions } from "./remote.js";

/**
 * `jitops certify`: for each policy under certification, decides and merges its approved
 * certification pull request, opens one when due, reminds the reviewers, and reports lapses.
 */
export async function runCertify(
  opts: RemoteOptions & { json?: boolean; due?: boolean },
  o: Output,
  env: Env,
  now: Clock,
): Promise<number> {
  const { repo, decide, session, r } = remoteContext(opts, o, env, now);
  const ports = { ...certificationGitHub(session, r), decide: decideCertification(decide, repo) };
  const report = await certify(ports, {
    repository: opts.repo,
    now: now(),
    ...(opts.due ? { dueOnly: true } : {}),
    // Lifecycle events go to stderr as JSON lines, like the audit events of the other commands.
    emit: (e) => o.err(JSON.stringify(e)),
  });
  if (opts.json) o.out(JSON.stringify(report));
  else {
    o.out(
      `${opts.repo}@${report.headSha.slice(0, 12)}: ${report.policies.length} policies under certification`,
    );
    for (const p of report.policies) {
      const pr = p.pr ? ` #${p.pr}` : "";
      const due = p.due ? `, due ${p.due}` : ", never certified";
      const reminded = p.reminded.length > 0 ? `, reminded (${p.reminded.join(", ")})` : "";
      o.out(`  ${p.policy}: ${p.state}${pr}${due}${reminded}`);
      for (const l of p.lapsed)
        o.out(
          `    lapsed ${l.kind} ${l.name}${l.since ? ` since ${l.since}` : ""} (onNoResponse: ${l.onNoResponse})`,
        );
    }
  }
  return EXIT.ok;
}
