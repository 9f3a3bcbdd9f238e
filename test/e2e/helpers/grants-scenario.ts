import { parse } from "yaml";
import { ACCESS_REPO, startGrantsWorld, type GrantsWorld } from "../../../cli/demo/grants-world.js";
import type { SimBotOptions } from "../../../cli/demo/start-sim-bot.js";
import type { CloudSim } from "@jitops/sim/cloud";
import { virtualClock, type VirtualClock } from "../../../cli/demo/virtual-clock.js";
import { parseDuration } from "../../../core/duration.js";
import { accessRequestYaml } from "../../fixtures/request-yaml.js";

/** Cloud principals of the example organisation's people (policies/people.yaml). */
export const PEOPLE: Record<string, { gcp: string; azure?: string; kubernetes?: string }> = {
  alice: {
    gcp: "user:alice@acme.example",
    azure: "0f8c1a52-6f2b-4d7e-9a51-3c1f0a9b7e01",
    kubernetes: "alice@acme.example",
  },
  bob: {
    gcp: "user:bob@acme.example",
    azure: "1a7d2e63-0c3b-4e8f-8b62-4d2f1b0c8f12",
    kubernetes: "bob@acme.example",
  },
  carol: {
    gcp: "user:carol@acme.example",
    azure: "2b8e3f74-1d4c-4f90-9c73-5e3a2c1d9023",
    kubernetes: "carol@acme.example",
  },
};

/** Where the example production database lives in each cloud. */
export const PROD = {
  project: "projects/acme-prod",
  role: "roles/cloudsql.viewer",
  scope: "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/prod",
  namespace: "payments",
};

type GrantSpec =
  | { gcp: { resource: string; role: string } }
  | { azure: { scope: string; role: string } }
  | { kubernetes: { namespace: string; role: string } };

/** The grants of the entitlements these tests request (policies/production.yaml). */
export const ENTITLEMENT_GRANTS: Record<string, GrantSpec[]> = {
  "prod-db-reader": [
    { gcp: { resource: PROD.project, role: PROD.role } },
    { azure: { scope: PROD.scope, role: "Reader" } },
    { kubernetes: { namespace: PROD.namespace, role: "view" } },
  ],
  "payments-k8s-edit": [{ kubernetes: { namespace: PROD.namespace, role: "edit" } }],
  "staging-viewer": [{ gcp: { resource: "projects/acme-staging", role: "roles/browser" } }],
};

/** Options of a request file. */
export interface RequestSpec {
  entitlement?: string;
  duration?: string;
  start?: string;
  breakGlass?: boolean;
  ticket?: string;
}

/** A request file's text. */
export function requestYaml(name: string, spec: RequestSpec = {}): string {
  return accessRequestYaml(name, {
    entitlement: spec.entitlement ?? "prod-db-reader",
    duration: spec.duration ?? "4h",
    start: spec.start || undefined,
    justification: "Investigate replication lag on INC-1234",
    ticket: spec.ticket ?? "INC-1234",
    breakGlass: spec.breakGlass ? true : undefined,
  });
}

/** The path of a request file. */
export function requestPath(name: string): string {
  return `access/requests/${name}.yaml`;
}

/** A jitops conditional binding found in a GCP policy, one row per member. */
export interface GcpRow {
  resource: string;
  role: string;
  member: string;
  title: string;
  expression: string;
}

/** The embedded GitHub and clouds with the real bot, a virtual clock, and the scripted people. */
export class GrantsScenario {
  /** Every request name this scenario wrote, so the invariant can tell which ones Git still declares. */
  readonly names = new Set<string>();

  private constructor(
    readonly w: GrantsWorld,
    readonly clock: VirtualClock,
  ) {}

  /** Starts a world at `start` (each scenario gets its own, so their commits and caches never meet). */
  static async start(
    start: Date,
    botOptions?: (cloud: CloudSim, now: () => Date) => Partial<SimBotOptions>,
  ): Promise<GrantsScenario> {
    const clock = virtualClock(start);
    return new GrantsScenario(
      await startGrantsWorld(
        clock.now,
        // Only the log switch: JITOPS_DEMO_LOG=info shows the bot's log while debugging a scenario.
        { JITOPS_DEMO_LOG: process.env.JITOPS_DEMO_LOG },
        botOptions && ((cloud) => botOptions(cloud, clock.now)),
      ),
      clock,
    );
  }

  get gh() {
    return this.w.github;
  }

  get cloud() {
    return this.w.cloud;
  }

  /** Waits until the bot has answered every delivery, including those its own actions caused. */
  settle(): Promise<void> {
    return this.gh.awaitDeliveries();
  }

  /** Opens a request PR as `author`; returns its number (not settled). */
  open(name: string, author: string, spec: RequestSpec = {}): number {
    this.names.add(name);
    return this.gh.openPullRequest(ACCESS_REPO, {
      head: `${author}/${name}`,
      author,
      title: `Access: ${name}`,
      files: { [requestPath(name)]: requestYaml(name, spec) },
    });
  }

  /**
   * The full path of a request: opened by `author`, approved by `approver` (the bot auto-merges
   * prod-db-reader), merged by the approver otherwise; returns the PR and its merge commit.
   */
  async request(
    name: string,
    author: string,
    spec: RequestSpec = {},
    approver: string | null = "bob",
  ): Promise<{ pr: number; merge: string }> {
    const pr = this.open(name, author, spec);
    await this.settle();
    if (approver) {
      this.clock.advance(60_000);
      this.gh.submitReview(ACCESS_REPO, pr, { user: approver, state: "APPROVED" });
      await this.settle();
    }
    return { pr, merge: await this.mergeIfOpen(pr, approver ?? author) };
  }

  /** Merges a PR the bot did not auto-merge (as `by`, squash), then lets the push be handled. */
  async mergeIfOpen(pr: number, by: string): Promise<string> {
    let p = this.gh.getPullRequest(ACCESS_REPO, pr);
    if (!p.merged) {
      this.gh.mergePullRequest(ACCESS_REPO, pr, { by, sha: p.headSha, method: "squash" });
      await this.settle();
      p = this.gh.getPullRequest(ACCESS_REPO, pr);
    }
    if (!p.mergeCommitSha) throw new Error(`#${pr} did not merge`);
    return p.mergeCommitSha;
  }

  /** A PR by `author` changing a merged request (an extension), approved by `approver`. */
  async change(name: string, author: string, spec: RequestSpec, approver = "bob") {
    const pr = this.gh.openPullRequest(ACCESS_REPO, {
      head: `${author}/${name}-change-${this.clock.elapsed()}`,
      author,
      title: `Change ${name}`,
      files: { [requestPath(name)]: requestYaml(name, spec) },
    });
    await this.settle();
    this.clock.advance(60_000);
    this.gh.submitReview(ACCESS_REPO, pr, { user: approver, state: "APPROVED" });
    await this.settle();
    return { pr, merge: await this.mergeIfOpen(pr, approver) };
  }

  /** Early revoke: a PR deleting the request file (approved without review), merged by `author`. */
  async revoke(name: string, author: string) {
    const pr = this.gh.openPullRequest(ACCESS_REPO, {
      head: `${author}/revoke-${name}`,
      author,
      title: `Revoke ${name}`,
      files: { [requestPath(name)]: null },
    });
    await this.settle();
    return { pr, merge: await this.mergeIfOpen(pr, author) };
  }

  /** One sweep (the bot's timer), and whatever deliveries it causes (revert PRs and their pushes). */
  async sweep(): Promise<void> {
    await this.w.bot.sweepAll();
    await this.settle();
  }

  /** The push delivery of a commit on main. */
  pushDelivery(sha: string) {
    const d = this.gh
      .deliveries()
      .find((x) => x.event === "push" && !x.redelivery && x.body.includes(`"after":"${sha}"`));
    if (!d) throw new Error(`no push delivery for ${sha}`);
    return d;
  }

  /** Comments on a PR, oldest first. */
  comments(pr: number): string[] {
    return this.gh.listComments(ACCESS_REPO, pr).map((c) => c.body);
  }

  /** The `jitops/grant` statuses on a commit, oldest first. */
  grantStatuses(sha: string): string[] {
    return this.gh
      .getStatuses(ACCESS_REPO, sha)
      .filter((s) => s.context === "jitops/grant")
      .map((s) => s.state);
  }

  /** Every pull request of the access repository. */
  pulls() {
    const out: ReturnType<GrantsWorld["github"]["getPullRequest"]>[] = [];
    for (let n = 1; ; n++) {
      try {
        out.push(this.gh.getPullRequest(ACCESS_REPO, n));
      } catch {
        return out;
      }
    }
  }

  /** Request names whose file is on the default branch. */
  declared(): string[] {
    const head = this.gh.branchSha(ACCESS_REPO);
    return [...this.names].filter((n) => this.gh.readFile(ACCESS_REPO, head, requestPath(n)) !== undefined);
  }

  /** When a declared request's bindings start and end: `(start ?? merge time) + duration`. */
  window(name: string): { notBefore: Date; notAfter: Date; entitlement: string; author: string } {
    const head = this.gh.branchSha(ACCESS_REPO);
    const text = this.gh.readFile(ACCESS_REPO, head, requestPath(name));
    if (text === undefined) throw new Error(`${name} is not declared`);
    const spec = (parse(text) as { spec: { entitlement: string; duration: string; start?: string } }).spec;
    const [commit] = this.gh.listCommits(ACCESS_REPO, { path: requestPath(name) });
    const merged = new Date(commit!.date);
    const start = spec.start && new Date(spec.start) > merged ? new Date(spec.start) : merged;
    const minutes = parseDuration(spec.duration);
    if (minutes === undefined) throw new Error(`bad duration ${spec.duration}`);
    return {
      notBefore: start,
      notAfter: new Date(start.getTime() + minutes * 60_000),
      entitlement: spec.entitlement,
      author: commit!.author ?? "",
    };
  }

  /** Every jitops conditional binding in the GCP projects, one row per member. */
  gcpRows(): GcpRow[] {
    const rows: GcpRow[] = [];
    for (const resource of ["projects/acme-prod", "projects/acme-staging"]) {
      for (const b of this.cloud.gcpPolicy(resource).bindings ?? []) {
        if (!b.condition?.title.startsWith("jitops:")) continue;
        for (const member of b.members)
          rows.push({
            resource,
            role: b.role,
            member,
            title: b.condition.title,
            expression: b.condition.expression,
          });
      }
    }
    return rows;
  }

  /** Azure PIM schedules neither removed nor ended at `at` (future ones included). */
  azureLive(at: Date = this.clock.now()) {
    return this.cloud
      .azureSchedules()
      .filter((s) => !s.removedOn && (!s.end || s.end.getTime() > at.getTime()))
      .map((s) => ({
        scope: s.scope,
        principalId: s.principalId,
        role: s.role.roleName,
        start: s.start,
        end: s.end,
      }));
  }

  /** Every jitops-made RoleBinding / ClusterRoleBinding. */
  k8sRows() {
    return this.cloud
      .k8sBindings()
      .filter((b) => b.metadata.labels?.["app.kubernetes.io/managed-by"] === "jitops")
      .map((b) => ({
        name: b.metadata.name,
        namespace: b.metadata.namespace,
        role: b.roleRef.name,
        subject: b.subjects?.[0]?.name,
        notAfter: b.metadata.annotations?.["jitops.dev/not-after"],
      }));
  }

  /**
   * The invariant: the cloud holds exactly the bindings Git declares, none twice, each ending at
   * the request's notAfter (Kubernetes ones only once their start is due). Returns the declared names.
   */
  expectCloudMatchesGit(): string[] {
    const now = this.clock.now();
    const gcp: string[] = [];
    const azure: string[] = [];
    const k8s: string[] = [];
    const declared = this.declared();
    for (const name of declared) {
      const win = this.window(name);
      if (win.notAfter <= now) continue; // expired: the sweeper's business, checked by expectAllSwept
      const who = PEOPLE[win.author]!;
      const until = win.notAfter.toISOString().replace(".000Z", "Z");
      let k = 0;
      for (const g of ENTITLEMENT_GRANTS[win.entitlement] ?? []) {
        if ("gcp" in g) gcp.push(`${g.gcp.resource} ${g.gcp.role} ${who.gcp} jitops:${name} until ${until}`);
        else if ("azure" in g)
          azure.push(`${g.azure.scope} ${g.azure.role} ${who.azure} until ${win.notAfter.toISOString()}`);
        else if (win.notBefore <= now)
          k8s.push(`${g.kubernetes.namespace}/jitops-${name}-${k++} ${g.kubernetes.role} ${who.kubernetes}`);
        else k++;
      }
    }
    const upper = (e: string) => /request\.time < timestamp\("([^"]+)"\)/.exec(e)?.[1];
    expect(
      this.gcpRows()
        .map((r) => `${r.resource} ${r.role} ${r.member} ${r.title} until ${upper(r.expression)}`)
        .sort(),
    ).toEqual(gcp.sort());
    expect(
      this.azureLive(now)
        .map((s) => `${s.scope} ${s.role} ${s.principalId} until ${s.end?.toISOString()}`)
        .sort(),
    ).toEqual(azure.sort());
    expect(
      this.k8sRows()
        .map((b) => `${b.namespace}/${b.name} ${b.role} ${b.subject}`)
        .sort(),
    ).toEqual(k8s.sort());
    return declared;
  }

  /** Moves the clock past every declared notAfter, sweeps, and checks nothing is left in Git or the cloud. */
  async expectAllSwept(): Promise<void> {
    const ends = this.declared().map((n) => this.window(n).notAfter.getTime());
    const last = Math.max(this.clock.now().getTime(), ...ends);
    this.clock.advance(last - this.clock.now().getTime() + 60_000);
    await this.sweep();
    expect(this.declared()).toEqual([]);
    expect(this.gcpRows()).toEqual([]);
    expect(this.azureLive()).toEqual([]);
    expect(this.k8sRows()).toEqual([]);
    for (const who of Object.values(PEOPLE)) {
      expect(this.cloud.gcpHasAccess(PROD.project, who.gcp, PROD.role)).toBe(false);
      expect(this.cloud.azureHasAccess(PROD.scope, who.azure!, "Reader")).toBe(false);
      expect(this.cloud.k8sCan({ user: who.kubernetes!, namespace: PROD.namespace, role: "view" })).toBe(
        false,
      );
    }
    // A further sweep finds nothing to do and opens nothing.
    const pulls = this.pulls().length;
    this.cloud.resetCalls();
    await this.sweep();
    expect(this.cloud.calls().writes).toBe(0);
    expect(this.pulls()).toHaveLength(pulls);
  }

  /** Stops the bot and the simulators. */
  close(): Promise<void> {
    return this.w.close();
  }
}
