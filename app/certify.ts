import type { LifecycleEvent } from "../core/events/lifecycle-event.js";
import { certificationEvent } from "../core/events/certification-events.js";
import { buildRecord, recordDate } from "../core/certification/build-record.js";
import { certificationBranch, certificationPath } from "../core/certification/certification-path.js";
import { parseCertificationRecord } from "../core/certification/certification-record.js";
import { scopeReviewers, type CertificationScope } from "../core/certification/certification-scopes.js";
import {
  isOpenable,
  isoSeconds,
  LEAD_MINUTES,
  readableRecord,
  scopeStatus,
  type ScopeStatus,
} from "../core/certification/certification-status.js";
import { renderRecord } from "../core/certification/render-record.js";
import type { CertifyPorts } from "./certify-ports.js";

/** What one run did for one policy. */
export interface PolicyCertification {
  policy: string;
  /** not-due: nothing to do yet; opened: a pull request was opened now; open: one was already open; merged: it merged now. */
  state: "not-due" | "opened" | "open" | "merged";
  pr?: number;
  /** The earliest due date; absent when something was never certified (due at once). */
  due?: string;
  /** Entitlements and workloads past due or never certified. */
  lapsed: { kind: string; name: string; onNoResponse: string; since?: string }[];
  /** Reminders posted in this run. */
  reminded: ("before" | "due")[];
  reason?: string;
}

/** What a run of `certify` did. */
export interface CertifyReport {
  headSha: string;
  policies: PolicyCertification[];
}

/** Options of one run. */
export interface CertifyOptions {
  repository: string;
  now: Date;
  /** Only policies that are due (within 14 days, past due, or never certified); default every policy under certification. */
  dueOnly?: boolean;
  emit?: (event: LifecycleEvent) => void;
}

/** The hidden marker of a reminder comment: one per pull request and kind, so a rerun never repeats one. */
export function reminderMarker(policy: string, kind: "before" | "due"): string {
  return `<!-- jitops:certification-reminder ${policy} ${kind} -->`;
}

/**
 * Certification, run on a timer (the bot) or a schedule (`jitops certify`): for each policy under
 * certification, decides its open certification pull request (merging an approved head), opens one
 * when due, reminds the reviewers 14 days before and on the due date, and reports lapses. Every fact
 * is read from Git and GitHub on each run, so a restart half way changes nothing: the open pull
 * request is found by its branch, each reminder by its marker.
 */
export async function certify(ports: CertifyPorts, opts: CertifyOptions): Promise<CertifyReport> {
  const { now } = opts;
  const emit = opts.emit ?? (() => undefined);
  const head = await ports.head();
  const base = await ports.base(head.sha);
  const policy = base.loaded.policy;
  if (!policy || !base.certifications) {
    const codes = base.loaded.results.flatMap((r) => r.errors.map((e) => `${r.path}:${e.line} ${e.code}`));
    throw new Error(
      `the policy on ${head.branch} has errors, so nothing was certified: ${codes.slice(0, 3).join("; ")}`,
    );
  }
  const certs = base.certifications;
  const out: PolicyCertification[] = [];
  for (const scope of [...certs.scopes.values()].sort((a, b) => a.policy.localeCompare(b.policy))) {
    const status = scopeStatus(scope, certs, now);
    const fact = { now, repository: opts.repository, policy: scope.policy };
    const lapsed = status.lapsed.map((s) => ({
      kind: s.item.kind,
      name: s.item.name,
      onNoResponse: s.item.onNoResponse,
      ...(s.due ? { since: isoSeconds(s.due) } : {}),
    }));
    if (status.lapsed.length > 0) {
      const dated = status.lapsed.filter((s) => s.due).map((s) => s.due!.getTime());
      const due = dated.length === status.lapsed.length ? new Date(Math.min(...dated)) : undefined;
      emit(
        certificationEvent({
          ...fact,
          type: "certification-lapsed",
          items: status.lapsed.map((s) => s.item),
          ...(due ? { due } : {}),
        }),
      );
    }
    const row: PolicyCertification = {
      policy: scope.policy,
      state: "not-due",
      ...(status.due ? { due: isoSeconds(status.due) } : {}),
      lapsed,
      reminded: [],
    };
    out.push(row);
    let open = await ports.findOpen(scope.policy);
    if (open) {
      const decided = await ports.decide(open.number);
      row.pr = open.number;
      if (decided.merged) {
        row.state = "merged";
        const date = open.record ? recordOf(scope, open.record) : undefined;
        const shortest = Math.min(...scope.items.map((i) => i.minutes));
        emit(
          certificationEvent({
            ...fact,
            type: "certification-approved",
            items: scope.items,
            pr: open.number,
            headSha: decided.headSha,
            reviewers: decided.approvers,
            ...(date ? { certifiedUntil: new Date(date.getTime() + shortest * 60_000) } : {}),
          }),
        );
        continue;
      }
      row.state = "open";
      if (decided.reason) row.reason = decided.reason;
    } else {
      if (opts.dueOnly && !isOpenable(status, now)) continue;
      open = await openCertification(ports, scope, status, head, base.loaded.policy!.source, now);
      row.state = "opened";
      row.pr = open.number;
      emit(
        certificationEvent({
          ...fact,
          type: "certification-opened",
          items: scope.items,
          pr: open.number,
          headSha: open.headSha,
          reviewers: mentions(scope),
          ...(status.due ? { due: status.due } : {}),
        }),
      );
    }
    row.reminded = await remind(ports, scope, open, now, (kind, due) =>
      emit(
        certificationEvent({
          ...fact,
          type: "certification-due",
          items: scope.items,
          pr: open!.number,
          reminder: kind,
          due,
          reviewers: mentions(scope),
        }),
      ),
    );
  }
  return { headSha: head.sha, policies: out };
}

/** The date a record counts from, read from its text (undefined when it does not parse). */
function recordOf(scope: CertificationScope, text: string): Date | undefined {
  const r = parseCertificationRecord({ path: certificationPath(scope.policy), content: text });
  return r.ok ? r.value.date : undefined;
}

/** The teams (org/team) and logins of a policy's reviewer rules, as mentions name them. */
function mentions(scope: CertificationScope): string[] {
  const rules = scopeReviewers(scope.items);
  return [...new Set(rules.flatMap((r) => [...(r.from.teams ?? []), ...(r.from.users ?? [])]))].sort();
}

async function openCertification(
  ports: CertifyPorts,
  scope: CertificationScope,
  status: ScopeStatus,
  head: { branch: string; sha: string },
  policy: Parameters<typeof buildRecord>[0]["policy"],
  now: Date,
) {
  const base = await ports.base(head.sha);
  const entitlements = policy.entitlements.filter((e) =>
    scope.items.some((i) => i.kind === "entitlement" && i.name === e.name),
  );
  const teams = [...new Set(entitlements.flatMap((e) => e.eligible.teams ?? []))].sort();
  const users = [...new Set(entitlements.flatMap((e) => e.eligible.users ?? []))].sort();
  const directory = await ports.directory(teams, users);
  const held = await ports.held(head.sha, base.loaded.policy!, now);
  const date = recordDate(status, now);
  const record = buildRecord({
    scope,
    policy,
    directory,
    held,
    previous: readableRecord(base.certifications!, scope.policy),
    date,
    asOf: now,
    ...(ports.activity ? { activity: ports.activity } : {}),
  });
  const path = certificationPath(scope.policy);
  const lapsed = status.lapsed.map((s) => s.item.name);
  const content = renderRecord(record);
  const opened = await ports.open({
    branch: certificationBranch(scope.policy),
    base: head.branch,
    baseSha: head.sha,
    path,
    content,
    title: `Certify ${scope.policy} (due ${isoSeconds(date).slice(0, 10)})`,
    body: [
      `Periodic certification of policy **${scope.policy}**: who may hold what, and what is held, as of ${isoSeconds(now)}. Review \`${path}\`; approving certifies it until ${isoSeconds(date)} + every (${[...new Set(scope.items.map((i) => i.every))].join(", ")}).`,
      "",
      `Reviewers: ${mentions(scope)
        .map((m) => `@${m}`)
        .join(", ")}.`,
      lapsed.length > 0 ? `\nLapsed now: ${lapsed.join(", ")}.` : "",
      "",
      "To remove someone, change the policy in its own pull request; the next certification lists the removal.",
    ].join("\n"),
  });
  return { ...opened, record: content };
}

/** Posts the reminders due by now that the pull request does not carry yet; returns those posted. */
async function remind(
  ports: CertifyPorts,
  scope: CertificationScope,
  open: { number: number; record?: string },
  now: Date,
  emitted: (kind: "before" | "due", due: Date) => void,
): Promise<("before" | "due")[]> {
  const due = open.record ? recordOf(scope, open.record) : undefined;
  if (!due) return [];
  const kind: "before" | "due" | undefined =
    now.getTime() >= due.getTime()
      ? "due"
      : now.getTime() >= due.getTime() - LEAD_MINUTES * 60_000
        ? "before"
        : undefined;
  if (!kind) return [];
  const marker = reminderMarker(scope.policy, kind);
  if ((await ports.comments(open.number)).some((c) => c.includes(marker))) return [];
  const who = mentions(scope)
    .map((m) => `@${m}`)
    .join(" ");
  const when =
    kind === "due" ? `is due now (${isoSeconds(due)})` : `is due on ${isoSeconds(due)}, in 14 days or less`;
  await ports.comment(
    open.number,
    `${marker}\n${who}: the certification of policy ${scope.policy} ${when}. Review the record and approve this pull request; ${scope.items.some((i) => i.onNoResponse === "suspend") ? "past its due date, suspended entitlements deny new requests" : "past its due date, every check run for its entitlements warns"}.`,
  );
  emitted(kind, due);
  return [kind];
}
