import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { OAuth2Client } from "google-auth-library";
import { gcpRolesHeld } from "../../activity/gcp-held-roles.js";
import { openRightsizePr } from "../../activity/open-rightsize-pr.js";
import { requestHistory, requestNames } from "../../activity/request-history.js";
import {
  aliceWorks,
  DEPLOYER,
  deployerWorks,
  PROD,
  seedActivity,
  simActivityReaders,
  simRoleCatalogues,
} from "../../cli/demo/activity-world.js";
import { ACCESS_REPO, exampleBase } from "../../cli/demo/grants-world.js";
import { virtualClock } from "../../cli/demo/virtual-clock.js";
import { runActivity } from "../../cli/commands/activity.js";
import { runRightsize, type RightsizeDeps } from "../../cli/commands/rightsize.js";
import { runCli } from "../../cli/program.js";
import { createClient } from "../../github/client.js";
import { resourceManagerClient } from "../../providers/gcp-iam-client.js";
import { createCloudSim, type CloudSim } from "@jitops/sim/cloud";
import { createGitHubSim } from "@jitops/sim/github";
import { captureOutput } from "../fixtures/capture-output.js";

const T0 = Date.UTC(2026, 10, 20, 9);
const HOUR = 3600_000;
const REQUEST = (name: string, entitlement: string) => `apiVersion: jitops.dev/v1
kind: AccessRequest
metadata:
  name: ${name}
spec:
  entitlement: ${entitlement}
  duration: 4h
  justification: Replication lag on INC-1234
  ticket: INC-1234
`;

/** A checkout of the access repository whose history holds a request merged at T0+1h and removed at expiry. */
function checkout(): string {
  const root = mkdtempSync(join(tmpdir(), "jitops-activity-"));
  const git = (args: string[], at: number, author = "frank") =>
    execFileSync("git", args, {
      cwd: root,
      env: {
        ...process.env,
        GIT_AUTHOR_NAME: author,
        GIT_AUTHOR_EMAIL: `${author}@acme.example`,
        GIT_COMMITTER_NAME: "GitHub",
        GIT_COMMITTER_EMAIL: "noreply@github.com",
        GIT_AUTHOR_DATE: new Date(at).toISOString(),
        GIT_COMMITTER_DATE: new Date(at).toISOString(),
      },
    });
  const write = (path: string, text: string) => {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  };
  git(["init", "-q", "-b", "main"], T0);
  for (const [path, text] of Object.entries(exampleBase())) write(path, text);
  git(["add", "."], T0);
  git(["commit", "-q", "-m", "policies"], T0);
  write("access/requests/alice-prod-db.yaml", REQUEST("alice-prod-db", "prod-db-reader"));
  write("access/requests/bob-db-admin.yaml", REQUEST("bob-db-admin", "prod-db-admin"));
  git(["add", "access/requests/alice-prod-db.yaml"], T0 + HOUR, "alice");
  git(["commit", "-q", "-m", "Access: alice-prod-db (#1)"], T0 + HOUR, "alice");
  git(["add", "access/requests/bob-db-admin.yaml"], T0 + HOUR, "bob");
  git(["commit", "-q", "-m", "Access: bob-db-admin (#2)"], T0 + HOUR, "bob");
  git(["rm", "-q", "access/requests/alice-prod-db.yaml", "access/requests/bob-db-admin.yaml"], T0 + 5 * HOUR);
  git(["commit", "-q", "-m", "Expire (#3)"], T0 + 5 * HOUR);
  return root;
}

/** Grants a role for the request's 4 hours, as jitops's conditional binding would. */
function grant(cloud: CloudSim, member: string, role: string) {
  const until = new Date(T0 + 5 * HOUR).toISOString();
  const policy = cloud.gcpPolicy(PROD.project);
  cloud.gcpSetPolicy(PROD.project, [
    ...(policy.bindings ?? []),
    {
      role,
      members: [member],
      condition: { title: "jitops:x", expression: `request.time < timestamp("${until}")` },
    },
  ]);
}

describe("jitops activity and jitops rightsize (real readers on sim/cloud, a real git history)", () => {
  const clock = virtualClock(new Date(T0));
  let cloud: CloudSim;
  let root: string;
  let deps: RightsizeDeps;
  beforeAll(async () => {
    root = checkout();
    cloud = createCloudSim({ clock: clock.now });
    await cloud.start();
    cloud.gcpCreateResource(PROD.project);
    seedActivity(cloud);
    grant(cloud, "user:alice@acme.example", "roles/cloudsql.viewer");
    grant(cloud, "user:bob@acme.example", "roles/cloudsql.admin");
    clock.advance(2 * HOUR);
    await aliceWorks(cloud, "user:alice@acme.example");
    // bob, with prod-db-admin, only reads: his entitlement's role is broader than he needs.
    const bob = cloud.signIn("user:bob@acme.example");
    for (const path of ["", `/${PROD.instance}`])
      await fetch(`${cloud.urls.gcpUrl}/v1/projects/acme-prod/instances${path}`, {
        headers: { authorization: `Bearer ${bob}` },
      });
    await deployerWorks(cloud);
    clock.advance(4 * HOUR);
    const auth = new OAuth2Client();
    auth.setCredentials({ access_token: "t" });
    const iam = resourceManagerClient({ ...cloud.urls.gcpEndpoint, protocol: "http", authClient: auth });
    deps = {
      readers: simActivityReaders(cloud, clock.now),
      catalogues: simRoleCatalogues(cloud),
      history: { versions: (n) => requestHistory(root, n), names: () => requestNames(root) },
      heldRoles: async (w) => (w.provider === "gcp" ? gcpRolesHeld(iam, w.scopes[0]!, w.principal) : []),
    };
  });
  afterAll(async () => {
    await cloud.stop();
    rmSync(root, { recursive: true, force: true });
  });

  it("activity <request>: the window from Git's history, the calls from the audit logs", async () => {
    const o = captureOutput();
    expect(await runActivity("alice-prod-db", { json: true, root }, o, clock.now, deps)).toBe(0);
    const out = JSON.parse(o.stdout.join("")) as {
      records: {
        window: { provider: string; start: string; end: string };
        calls: number;
        denied: number;
        noActivity: boolean;
      }[];
    };
    const gcp = out.records.find((r) => r.window.provider === "gcp")!;
    expect(gcp).toMatchObject({
      calls: 3,
      denied: 1,
      window: { start: new Date(T0 + HOUR).toISOString(), end: new Date(T0 + 5 * HOUR).toISOString() },
    });
    expect(out.records.find((r) => r.window.provider === "azure")).toMatchObject({ noActivity: true });
    const text = captureOutput();
    await runActivity("alice-prod-db", { root }, text, clock.now, deps);
    expect(text.stdout.join("\n")).toMatch(
      /1× cloudsql.googleapis.com cloudsql.instances.restart projects\/acme-prod\/instances\/orders-db \(1 denied\)/,
    );
  });

  it("activity: a name that is neither a workload nor a request, and a bad --since, are usage errors (exit 2)", async () => {
    await expect(runActivity("nobody", { root }, captureOutput(), clock.now, deps)).rejects.toThrow(
      /^nobody is neither a workload in policy nor a request in Git's history \(access\/requests\/nobody.yaml\); workloads: api-deploy/,
    );
    const o = captureOutput();
    expect(
      await runCli(["node", "jitops", "activity", "alice-prod-db", "--since", "soon", "-C", root], {
        env: {},
        output: o,
      }),
    ).toBe(2);
    expect(o.stderr[0]).toBe("error: --since soon is not a duration; use (Nd)(Nh)(Nm), e.g. 30d, 90d, 12h");
  });

  it("rightsize <workload>: 2 permissions of roles/storage.admin used, roles/storage.objectViewer proposed", async () => {
    const o = captureOutput();
    expect(await runRightsize("api-deploy", { root }, o, clock.now, deps)).toBe(0);
    expect(o.stdout[0]).toMatch(
      /^gcp roles\/storage.admin: used 2 of \d+ permissions of roles\/storage.admin over 1 window; propose roles\/storage.objectViewer/,
    );
    await expect(
      runRightsize("api-deploy", { root, pr: true, repo: ACCESS_REPO }, captureOutput(), clock.now, deps),
    ).rejects.toThrow(/rightsize --pr narrows an entitlement's role in policy; api-deploy is a workload/);
    expect(DEPLOYER.role).toBe("roles/storage.admin");
  });

  it("rightsize <entitlement> --pr: opens a pull request changing only the role in policies/", async () => {
    const github = createGitHubSim();
    github.createOrg("acme", { id: 7890 });
    github.createUser("frank", { id: 106 });
    await github.start();
    try {
      github.createRepo(ACCESS_REPO, { files: exampleBase(), author: "frank" });
      const o = captureOutput();
      const code = await runRightsize(
        "prod-db-admin",
        { root, pr: true, repo: ACCESS_REPO, json: true },
        o,
        clock.now,
        {
          ...deps,
          github: () => createClient({ token: "t", baseUrl: github.url, retryUnitMs: 1, pacing: false }),
          openPr: openRightsizePr,
        },
      );
      expect(code).toBe(0);
      const out = JSON.parse(o.stdout.join("")) as {
        pr: number;
        proposals: { change: { kind: string; role?: string } }[];
      };
      expect(out.proposals[0]!.change).toMatchObject({ kind: "role", role: "roles/cloudsql.viewer" });
      const pr = github.getPullRequest(ACCESS_REPO, out.pr);
      const before = exampleBase()["policies/production.yaml"]!;
      const after = github.readFile(ACCESS_REPO, pr.headSha, "policies/production.yaml");
      expect(after).toBe(before.replace("role: roles/cloudsql.admin}", "role: roles/cloudsql.viewer}"));
      expect(pr.title).toBe("Rightsize prod-db-admin: roles/cloudsql.admin → roles/cloudsql.viewer");
    } finally {
      await github.stop();
    }
  });
});
