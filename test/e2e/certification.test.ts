import { certify, type CertifyReport } from "../../app/certify.js";
import { ACCESS_REPO, exampleBase, startGrantsWorld, type GrantsWorld } from "../../cli/demo/grants-world.js";
import { virtualClock, type VirtualClock } from "../../cli/demo/virtual-clock.js";
import { parseCertificationRecord } from "../../core/certification/certification-record.js";
import type { LifecycleEvent } from "../../core/events/lifecycle-event.js";
import { CHECK_NAME } from "../../core/render-check.js";
import { decideCertification } from "../../app/decide-certification.js";
import { GitHubInstance } from "../../github/github-instance.js";
import { certificationGitHub } from "../../github/certification-github.js";
import { createClient } from "../../github/client.js";
import { expectLifecycleEvent } from "../core/events/lifecycle-schema.js";
import { requestPath, requestYaml } from "./helpers/grants-scenario.js";

const START = new Date("2026-11-24T10:00:00Z");
const RECORD = "access/certifications/production.yaml";
const CERTIFICATION = `  certification:
    every: 90d
    reviewers: {name: security, count: 1, from: {teams: [acme/security]}}
    onNoResponse: suspend
`;

/** The real certify use case over HTTP, with fresh state each time (a new client, new ports): a restart. */
async function run(w: GrantsWorld, clock: VirtualClock, events: LifecycleEvent[]): Promise<CertifyReport> {
  const instance = new GitHubInstance(clock.now, `https://github.com/${ACCESS_REPO}#jitops`);
  const r = { owner: "acme", repo: "access" };
  const s = instance.session(
    createClient({ token: "jitops-e2e", baseUrl: w.github.url, retryUnitMs: 1, pacing: false }),
  );
  const decide = {
    clock: clock.now,
    memory: instance.memory,
    audit: { write: () => undefined },
    log: { info: () => undefined, warn: () => undefined },
  };
  const ports = { ...certificationGitHub(s, r), decide: decideCertification(decide, instance.repo(s, r)) };
  const report = await certify(ports, {
    repository: ACCESS_REPO,
    now: clock.now(),
    dueOnly: true,
    emit: (e) => events.push(e),
  });
  await w.github.awaitDeliveries();
  return report;
}

function certificationPulls(w: GrantsWorld) {
  const out = [];
  for (let n = 1; n < 50; n++) {
    try {
      const p = w.github.getPullRequest(ACCESS_REPO, n);
      if (p.headRef.startsWith("jitops/certify/")) out.push(p);
    } catch {
      break;
    }
  }
  return out;
}

describe("certification on the embedded GitHub, with the bot deciding", () => {
  let w: GrantsWorld;
  let clock: VirtualClock;
  const events: LifecycleEvent[] = [];

  beforeAll(async () => {
    clock = virtualClock(START);
    w = await startGrantsWorld(clock.now, {});
    // A merged policy change puts production under certification, suspending it on a lapse.
    const policy = exampleBase()["policies/production.yaml"]!.replace("spec:\n", `spec:\n${CERTIFICATION}`);
    w.github.commit(ACCESS_REPO, "main", {
      files: { "policies/production.yaml": policy },
      author: "frank",
      message: "Certify production every 90 days",
    });
  }, 60_000);

  afterAll(async () => {
    await w?.close();
  });

  it("opens one certification pull request when due, with the record and one reminder", async () => {
    const report = await run(w, clock, events);
    const row = report.policies.find((p) => p.policy === "production")!;
    expect(row).toMatchObject({ state: "opened", reminded: ["due"] });
    const [pr] = certificationPulls(w);
    expect(pr?.number).toBe(row.pr);
    const record = parseCertificationRecord({
      path: RECORD,
      content: w.github.readFile(ACCESS_REPO, pr!.headSha, RECORD)!,
    });
    expect(record.ok).toBe(true);
    const db = record.ok
      ? record.value.record.spec.entitlements?.find((e) => e.name === "prod-db-reader")
      : undefined;
    expect(db?.eligible).toEqual([{ login: "alice", id: 101, via: ["user", "acme/backend"] }]);
    const reminders = w.github
      .listComments(ACCESS_REPO, pr!.number)
      .filter((c) => c.body.includes("@acme/security"));
    expect(reminders).toHaveLength(1);
    expect(events.map((e) => e.type)).toEqual([
      "certification-lapsed",
      "certification-opened",
      "certification-due",
    ]);
    events.forEach((e) => expectLifecycleEvent(e));
    // The bot decided it with the engine: pending on the security reviewers.
    const check = w.github.getCheckRuns(ACCESS_REPO, pr!.headSha).find((c) => c.name === CHECK_NAME);
    expect(check?.conclusion).toBe("action_required");
  }, 60_000);

  it("while it lapses, suspend denies a new request for the entitlement", async () => {
    const n = w.github.openPullRequest(ACCESS_REPO, {
      head: "alice/db",
      author: "alice",
      title: "Access",
      files: { [requestPath("alice-db")]: requestYaml("alice-db") },
    });
    await w.github.awaitDeliveries();
    const pr = w.github.getPullRequest(ACCESS_REPO, n);
    const check = w.github.getCheckRuns(ACCESS_REPO, pr.headSha).find((c) => c.name === CHECK_NAME);
    expect(check?.conclusion).toBe("failure");
    expect(check?.output?.summary).toContain("prod-db-reader is suspended: certification lapsed");
    w.github.closePullRequest(ACCESS_REPO, n, "alice");
  }, 60_000);

  it("a restart in the middle (a second run, fresh state) opens no second PR and posts no second reminder", async () => {
    const before = events.length;
    const report = await run(w, clock, events);
    expect(report.policies.find((p) => p.policy === "production")).toMatchObject({
      state: "open",
      reminded: [],
    });
    expect(certificationPulls(w)).toHaveLength(1);
    const pr = certificationPulls(w)[0]!;
    expect(
      w.github.listComments(ACCESS_REPO, pr.number).filter((c) => c.body.includes("@acme/security")),
    ).toHaveLength(1);
    // Only the lapse is said again, with the same id: subscribers drop it as a repeat.
    expect(events.slice(before).map((e) => [e.type, e.id])).toEqual([
      ["certification-lapsed", events[0]!.id],
    ]);
  }, 60_000);

  it("the bot's certify pass (what its CERTIFY_INTERVAL_MS timer runs) is the same use case: nothing is opened twice", async () => {
    const lifecycle: LifecycleEvent[] = [];
    w.bot.events.subscribe({ name: "certify-test", handle: (e) => void lifecycle.push(e) });
    await w.bot.certifyAll();
    await w.github.awaitDeliveries();
    await w.bot.idle();
    expect(certificationPulls(w)).toHaveLength(1);
    const pr = certificationPulls(w)[0]!;
    expect(
      w.github.listComments(ACCESS_REPO, pr.number).filter((c) => c.body.includes("@acme/security")),
    ).toHaveLength(1);
    // Its events reach the bot's bus (and so the audit stream and notifications).
    expect(lifecycle.map((e) => e.type)).toContain("certification-lapsed");
    for (const e of lifecycle) expectLifecycleEvent(e);
  }, 60_000);

  it("a security reviewer approves the head; the engine approves and the bot merges the record", async () => {
    const pr = certificationPulls(w)[0]!;
    clock.advance(60 * 60_000);
    w.github.submitReview(ACCESS_REPO, pr.number, { user: "frank", state: "APPROVED" });
    await w.github.awaitDeliveries();
    const merged = w.github.getPullRequest(ACCESS_REPO, pr.number);
    const check = w.github.getCheckRuns(ACCESS_REPO, merged.headSha).find((c) => c.name === CHECK_NAME);
    expect(check?.output?.summary).toContain("certification production: every approval rule holds");
    expect(merged.merged).toBe(true);
    expect(w.github.readFile(ACCESS_REPO, w.github.branchSha(ACCESS_REPO), RECORD)).toContain(
      "name: production",
    );
    const report = await run(w, clock, events);
    expect(report.policies.find((p) => p.policy === "production")).toMatchObject({
      state: "not-due",
      lapsed: [],
    });
  }, 60_000);

  it("91 days on, the certification has lapsed: a new request is denied, naming the date", async () => {
    const record = parseCertificationRecord({
      path: RECORD,
      content: w.github.readFile(ACCESS_REPO, w.github.branchSha(ACCESS_REPO), RECORD)!,
    });
    const lapsedOn = new Date(record.ok ? record.value.date.getTime() + 90 * 86_400_000 : 0);
    clock.advance(91 * 86_400_000);
    const n = w.github.openPullRequest(ACCESS_REPO, {
      head: "alice/db2",
      author: "alice",
      title: "Access",
      files: { [requestPath("alice-db2")]: requestYaml("alice-db2") },
    });
    await w.github.awaitDeliveries();
    const pr = w.github.getPullRequest(ACCESS_REPO, n);
    const check = w.github.getCheckRuns(ACCESS_REPO, pr.headSha).find((c) => c.name === CHECK_NAME);
    expect(check?.conclusion).toBe("failure");
    expect(check?.output?.summary).toContain(
      `certification lapsed on ${lapsedOn.toISOString().replace(/\.000Z$/, "Z")}`,
    );
  }, 60_000);
});
