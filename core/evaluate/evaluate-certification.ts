import {
  isoSeconds,
  readableRecord,
  scopeStatus,
  type CertificationBase,
} from "../certification/certification-status.js";
import { parseCertificationRecord } from "../certification/certification-record.js";
import { scopeReviewers } from "../certification/certification-scopes.js";
import type { FileError } from "../file-error.js";
import { formatFileError } from "../format-file-error.js";
import { stricter, type DecisionKind, type RuleResult } from "./decision.js";
import { scoreRules, type RuleContext } from "./score-rules.js";

/** How a pull request that only writes certification records stands. */
export interface CertificationOutcome {
  decision: DecisionKind;
  reasons: string[];
  rules: RuleResult[];
  policies: string[];
}

/**
 * Decides a pull request that writes `access/certifications/*.yaml` and nothing else. Each record
 * must name a policy of the base that puts what it lists under certification; the base policy's
 * certification.reviewers rules of those items (all of them) must hold on the head commit, with
 * the usual counting (latest review, head SHA, no author or commit author, no bots). Pure.
 */
export function evaluateCertification(
  ctx: RuleContext,
  files: { path: string; content: string }[],
  now: Date,
): CertificationOutcome {
  const certs: CertificationBase = ctx.base.certifications ?? { scopes: new Map(), records: new Map() };
  let decision: DecisionKind = "approved";
  const reasons: string[] = [];
  const rules: RuleResult[] = [];
  const policies: string[] = [];
  for (const file of files) {
    const parsed = parseCertificationRecord(file);
    if (!parsed.ok) {
      decision = stricter(decision, "invalid");
      reasons.push(...parsed.errors.map((e) => formatFileError(file.path, e)));
      continue;
    }
    const r = parsed.value;
    const name = r.record.metadata.name;
    const errors: FileError[] = [];
    const push = (pointer: string, code: string, message: string) =>
      errors.push({ ...r.at(pointer), code, message });
    const scope = certs.scopes.get(name);
    if (!scope) {
      push(
        "/metadata/name",
        "certification.unknown-policy",
        `no policy file of the base named ${name} puts anything under certification; a record certifies the policy its metadata.name names`,
      );
    }
    const listed = [...r.pointers.keys()];
    const items = scope ? scope.items.filter((i) => listed.includes(`${i.kind}:${i.name}`)) : [];
    for (const [key, pointer] of r.pointers) {
      if (scope && !items.some((i) => `${i.kind}:${i.name}` === key))
        push(
          pointer,
          "certification.unknown-item",
          `${key.replace(":", " ")} is not under certification in policy ${name}; listed: ${scope.items.map((i) => `${i.kind} ${i.name}`).join(", ")}`,
        );
    }
    if (scope) {
      const due = scopeStatus(scope, certs, now).due;
      const ceiling = due && due.getTime() > now.getTime() ? due : now;
      if (r.date.getTime() > ceiling.getTime())
        push(
          "/spec/date",
          "certification.date-future",
          `date ${isoSeconds(r.date)} is later than ${due && due > now ? `the due date ${isoSeconds(due)}` : `now (${isoSeconds(now)})`}; a certification counts from its due date, or from when it is opened once that has passed`,
        );
    }
    if (errors.length > 0) {
      decision = stricter(decision, "invalid");
      reasons.push(...errors.map((e) => formatFileError(file.path, e)));
      continue;
    }
    const label = `certification ${name}`;
    policies.push(name);
    if (items.length === 0) {
      decision = stricter(decision, "denied");
      reasons.push(`${label}: the record lists no entitlement or workload, so it certifies nothing`);
      continue;
    }
    const last = readableRecord(certs, name);
    if (last && r.previousDate?.getTime() !== last.date.getTime()) {
      decision = stricter(decision, "denied");
      reasons.push(
        `${label}: it follows the certification of ${r.previousDate ? isoSeconds(r.previousDate) : "none"}, but the last merged one is of ${isoSeconds(last.date)}; close it and let jitops certify open a fresh one`,
      );
      continue;
    }
    const scored = scoreRules(ctx, scopeReviewers(items), [file.path], label);
    decision = stricter(decision, scored.decision);
    reasons.push(...scored.reasons);
    rules.push(...scored.rules);
  }
  return { decision, reasons, rules, policies };
}
