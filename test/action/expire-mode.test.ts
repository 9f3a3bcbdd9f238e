import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runAction } from "../../action/run.js";
import type { Env } from "../../core/env.js";
import { ACCESS_REPO, DEMO_TEAMS, DEMO_USERS, exampleBase } from "../../cli/demo/grants-world.js";
import { createCloudSim, type CloudSim } from "@jitops/sim/cloud";
import { createGitHubSim, type GitHubSim } from "@jitops/sim/github";
import { recordActionIO } from "../fixtures/record-action-io.js";

// mode: expire as a scheduled workflow runs it: the token from the `token` input, the providers from
// JITOPS_PROVIDERS and each cloud's default credentials (here a kubeconfig file, as
// get-gke-credentials or aks-set-context would write one), against the embedded GitHub and cluster.

const NOW = new Date("2026-11-24T10:00:00Z");
const at = (minutes: number) => new Date(NOW.getTime() + minutes * 60_000);
const TOKEN = "ghs_installationTokenForExpire";
const REQUEST = `apiVersion: jitops.dev/v1
kind: AccessRequest
metadata:
  name: alice-payments
spec:
  entitlement: payments-k8s-edit
  duration: 1h
`;

/** A kubeconfig with one context per cluster name policy uses, as the provider reads it. */
function kubeconfig(server: string): string {
  return `apiVersion: v1
kind: Config
clusters: [{name: prod, cluster: {server: "${server}", insecure-skip-tls-verify: true}}]
users: [{name: jitops, user: {token: sweeper}}]
contexts: [{name: prod, context: {cluster: prod, user: jitops}}]
current-context: prod
`;
}

/** The kinds of the audit events a run logged (decision events have no kind). */
const auditKinds = (infos: string[]) =>
  infos
    .filter((l) => l.startsWith("jitops audit {"))
    .map((l) => (JSON.parse(l.slice("jitops audit ".length)) as { kind?: string }).kind)
    .filter(Boolean);

describe("action mode: expire", () => {
  let github: GitHubSim;
  let cloud: CloudSim;
  let clock = NOW;
  let dir: string;
  let env: Env;

  beforeAll(async () => {
    github = createGitHubSim({ clock: () => clock });
    github.createOrg("acme", { id: 7890 });
    for (const [login, id] of Object.entries(DEMO_USERS)) github.createUser(login, { id });
    for (const [slug, members] of Object.entries(DEMO_TEAMS)) github.createTeam("acme", slug, members);
    const { url } = await github.start();
    github.createRepo(ACCESS_REPO, { files: exampleBase(), author: "frank" });
    cloud = createCloudSim({ clock: () => clock });
    const urls = await cloud.start();
    cloud.k8sAddNamespace("payments");
    dir = mkdtempSync(join(tmpdir(), "jitops-expire-"));
    writeFileSync(join(dir, "kubeconfig"), kubeconfig(urls.kubernetesUrl));
    env = {
      GITHUB_REPOSITORY: ACCESS_REPO,
      GITHUB_API_URL: url,
      JITOPS_PROVIDERS: "kubernetes",
      KUBECONFIG: join(dir, "kubeconfig"),
    };
  });
  afterAll(async () => {
    await github.stop();
    await cloud.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const run = async (now: Date, inputs: Record<string, string> = { token: TOKEN }, runEnv = env) => {
    clock = now;
    const { io, rec } = recordActionIO({ mode: "expire", ...inputs });
    await runAction(io, runEnv, () => now);
    return rec;
  };
  const aliceCanEdit = () =>
    cloud.k8sCan({ user: "alice@acme.example", namespace: "payments", role: "edit" });

  it("grants a verified merge whose webhook was lost, then at expiry removes the binding and merges the revert PR", async () => {
    const n = github.openPullRequest(ACCESS_REPO, {
      head: "alice/payments",
      author: "alice",
      title: "payments edit",
      files: { "access/requests/alice-payments.yaml": REQUEST },
    });
    github.submitReview(ACCESS_REPO, n, { user: "carol", state: "APPROVED" });
    github.mergePullRequest(ACCESS_REPO, n, { by: "carol" });

    const granted = await run(at(5));
    expect(granted.failed).toBeUndefined();
    expect(aliceCanEdit()).toBe(true);
    const head = github.branchSha(ACCESS_REPO).slice(0, 12);
    expect(granted.summaries).toEqual([
      {
        heading: "jitops: expire",
        text: `acme/access@${head}: 1 added, 0 extended, 0 removed, 0 reverts`,
        rows: [
          ["Change", "Binding or request", "Detail"],
          ["added", "alice-payments/kubernetes/0", "alice@acme.example until 2026-11-24T11:00:00Z"],
        ],
      },
    ]);
    expect(auditKinds(granted.infos)).toEqual(["grant"]);

    const swept = await run(at(65));
    expect(swept.failed).toBeUndefined();
    expect(aliceCanEdit()).toBe(false);
    expect(cloud.k8sBindings()).toEqual([]);
    expect(
      github.readFile(ACCESS_REPO, github.branchSha(ACCESS_REPO), "access/requests/alice-payments.yaml"),
    ).toBeUndefined();
    expect(auditKinds(swept.infos)).toContain("revoke");
    const report = JSON.parse(swept.outputs.report!);
    expect(report.reverts).toEqual([{ name: "alice-payments", pr: n + 1, merged: true }]);
    expect(swept.summaries[0]!.rows).toEqual([
      ["Change", "Binding or request", "Detail"],
      ["removed", "alice-payments/kubernetes/0", "alice@acme.example, ended 2026-11-24T11:00:00Z"],
      ["revert", "alice-payments", `#${n + 1} merged`],
    ]);

    // Idempotent: the next scheduled run finds nothing to do.
    const again = await run(at(75));
    expect(again.failed).toBeUndefined();
    expect(again.summaries[0]!.text).toMatch(/: 0 added, 0 extended, 0 removed, 0 reverts$/);
    expect(again.summaries[0]!.rows).toEqual([]);
  });

  it("fails the step when a configured cloud cannot be reached, naming it", async () => {
    const unreachable = join(dir, "unreachable");
    writeFileSync(unreachable, kubeconfig("http://127.0.0.1:9"));
    const rec = await run(at(80), { token: TOKEN }, { ...env, KUBECONFIG: unreachable });
    expect(rec.failed).toMatch(
      /^could not change 1 binding or provider; first: kubernetes: could not list the kubernetes bindings: /,
    );
    expect(rec.summaries[0]!.rows[1]).toEqual(["failed", "kubernetes", expect.any(String)]);
  });

  it.each([
    [
      "an unknown provider",
      { token: TOKEN },
      { JITOPS_PROVIDERS: "aws" },
      "jitops expire failed: JITOPS_PROVIDERS names unknown providers: aws; accepted: gcp, azure, kubernetes",
    ],
    [
      "no token",
      {},
      {},
      "jitops expire failed: input token is required in mode expire: mint a GitHub App installation token with actions/create-github-app-token (check runs can only be written by an App)",
    ],
  ])("%s fails the step with a message naming what is accepted", async (_, inputs, extra, message) => {
    const rec = await run(at(90), inputs, { ...env, ...extra });
    expect(rec.failed).toBe(message);
  });
});
