import { runCredentialsMode } from "../../action/credentials-mode.js";
import type { Clock } from "../../core/clock.js";
import type { Env } from "../../core/env.js";
import { CHECK_NAME } from "../../core/render-check.js";
import { validateFiles } from "../../core/validate-files.js";
import { exchangeGcp, gcpAudience } from "../../providers/gcp-workload-credentials.js";
import { runTrust } from "../commands/trust.js";
import { ACCESS_REPO, exampleBase, startGrantsWorld, type GrantsWorld } from "./grants-world.js";
import { virtualClock, type VirtualClock } from "./virtual-clock.js";
import { DEMO_WORKLOAD, jobClaims, startWorkloadWorld, type WorkloadWorld } from "./workload-world.js";
import { exchangeAzure } from "../../providers/azure-workload-credentials.js";
import { GKE_POD, POD_APP, POD_PROJECT, startPodWorld, type PodWorld } from "./pod-world.js";
import { activityLifecycle, aliceWorks, seedActivity } from "./activity-world.js";
import { certificationSteps } from "./certification-step.js";
import { policyImpactStep } from "./policy-impact-step.js";

/** One step of the demo: its name, whether the sims' state showed it held, and what was seen. */
export interface DemoStep {
  name: string;
  ok: boolean;
  detail: string;
  /** Virtual time since the start, in minutes. */
  at: number;
}

const REQUEST_PATH = "access/requests/alice-prod-db.yaml";
const REQUEST = `apiVersion: jitops.dev/v1
kind: AccessRequest
metadata:
  name: alice-prod-db
spec:
  entitlement: prod-db-reader
  duration: 4h
  justification: Investigate replication lag on INC-1234
  ticket: INC-1234
`;
const ALICE = {
  gcp: "user:alice@acme.example",
  azure: "0f8c1a52-6f2b-4d7e-9a51-3c1f0a9b7e01",
  k8s: "alice@acme.example",
};
const ALICE_EVERYWHERE = { gcp: ALICE.gcp, azure: ALICE.azure, kubernetes: ALICE.k8s };
const PROD_DB = {
  project: "projects/acme-prod",
  role: "roles/cloudsql.viewer",
  scope: "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/prod",
};

/**
 * Runs the whole lifecycle in one process on the embedded GitHub and clouds with an accelerated
 * clock, started at the whole minute `now` says: request, validation, approval, merge, grant,
 * access, expiry, revert, removal, and workload credentials. Each step is checked against the
 * simulators' state, not just logged.
 */
export async function runDemo(
  deps: { now: Clock; env: Env },
  onStep: (s: DemoStep) => void = () => undefined,
): Promise<{ ok: boolean; steps: DemoStep[] }> {
  const clock = virtualClock(new Date(Math.floor(deps.now().getTime() / 60_000) * 60_000));
  const steps: DemoStep[] = [];
  const step = (name: string, ok: boolean, detail: string) => {
    const s = { name, ok, detail, at: Math.round(clock.elapsed() / 60_000) };
    steps.push(s);
    onStep(s);
    if (!ok) throw new StepFailed(name, detail);
  };
  let grants: GrantsWorld | undefined;
  let workloads: WorkloadWorld | undefined;
  let pods: PodWorld | undefined;
  try {
    grants = await startGrantsWorld(clock.now, deps.env);
    seedActivity(grants.cloud);
    await humanLifecycle(grants, clock, step);
    await activityLifecycle(grants, clock, step, ALICE_EVERYWHERE);
    workloads = await startWorkloadWorld(clock.now);
    await workloadLifecycle(workloads, clock, step);
    pods = await startPodWorld(clock.now);
    await podLifecycle(pods, step);
  } catch (e) {
    if (!(e instanceof StepFailed))
      steps.push({
        name: "error",
        ok: false,
        detail: (e as Error).message,
        at: Math.round(clock.elapsed() / 60_000),
      });
  } finally {
    await grants?.close();
    await workloads?.close();
    await pods?.close();
  }
  return { ok: steps.length > 0 && steps.every((s) => s.ok), steps };
}

class StepFailed extends Error {
  constructor(name: string, detail: string) {
    super(`${name}: ${detail}`);
  }
}

type Step = (name: string, ok: boolean, detail: string) => void;

async function humanLifecycle(w: GrantsWorld, clock: VirtualClock, step: Step): Promise<void> {
  const gh = w.github;
  const settle = () => gh.awaitDeliveries();
  const approval = (sha: string) => gh.getCheckRuns(ACCESS_REPO, sha).filter((c) => c.name === CHECK_NAME);

  const n = gh.openPullRequest(ACCESS_REPO, {
    head: "alice/prod-db",
    author: "alice",
    title: "Access: alice-prod-db",
    files: { [REQUEST_PATH]: REQUEST },
  });
  await settle();
  const pr = gh.getPullRequest(ACCESS_REPO, n);
  step(
    "request-opened",
    pr.state === "open" && gh.readFile(ACCESS_REPO, pr.headSha, REQUEST_PATH) === REQUEST,
    `alice opened #${n} adding ${REQUEST_PATH} (prod-db-reader for 4h)`,
  );

  const base = exampleBase();
  const policies = Object.entries(base)
    .filter(([p]) => p.startsWith("policies/"))
    .map(([path, content]) => ({ path, content }));
  const report = validateFiles(policies, [{ path: REQUEST_PATH, content: REQUEST }], clock.now());
  step(
    "validated",
    report.ok,
    `the Action's checks pass on ${report.results.length} files (schema, policy, duration within 8h, ticket INC-1234)`,
  );

  const pending = approval(pr.headSha);
  step(
    "approval-pending",
    pending.length === 1 && pending[0]!.conclusion === "action_required",
    `check ${CHECK_NAME} on ${pr.headSha.slice(0, 7)}: ${pending[0]?.conclusion ?? "missing"} (${pending[0]?.output?.title ?? ""}); reviews requested from @acme/sre`,
  );

  clock.advance(12 * 60_000);
  gh.submitReview(ACCESS_REPO, n, { user: "bob", state: "APPROVED" });
  await settle();
  const approved = approval(pr.headSha);
  step(
    "approved",
    approved.length === 1 && approved[0]!.conclusion === "success",
    `bob (acme/sre) approved the head commit; check ${CHECK_NAME}: ${approved[0]?.conclusion ?? "missing"}`,
  );

  await settle();
  const merged = gh.getPullRequest(ACCESS_REPO, n);
  step(
    "merged",
    merged.merged && merged.mergedBy !== null && Boolean(merged.mergeCommitSha),
    `the bot auto-merged #${n} at the approved head (merge commit ${merged.mergeCommitSha?.slice(0, 7) ?? "none"})`,
  );

  await settle();
  const policy = w.cloud.gcpPolicy(PROD_DB.project);
  const gcpBinding = (policy.bindings ?? []).find(
    (b) => b.condition?.title === "jitops:alice-prod-db" && b.members.includes(ALICE.gcp),
  );
  const azureActive = w.cloud
    .azureSchedules()
    .some((s) => s.principalId === ALICE.azure && !s.removedOn && s.end !== null);
  const k8s = w.cloud.k8sBindings().some((b) => b.metadata.name === "jitops-alice-prod-db-0");
  const status = gh
    .getStatuses(ACCESS_REPO, merged.mergeCommitSha ?? "")
    .find((s) => s.context === "jitops/grant");
  const audited = w.grantAudit.filter((e) => e.kind === "grant" && e.requestId === "alice-prod-db").length;
  step(
    "granted",
    Boolean(gcpBinding) && azureActive && k8s && status?.state === "success" && audited === 3,
    `GCP ${PROD_DB.role} with condition "${gcpBinding?.condition?.expression ?? "?"}", an Azure PIM schedule (Reader), and RoleBinding payments/jitops-alice-prod-db-0; status jitops/grant: ${status?.state ?? "missing"}; ${audited} grant audit events`,
  );

  await w.bot.idle();
  const thread = w.chat.slackMessages("#access-approvals");
  const root = thread.find((m) => m.threadTs === undefined);
  const replies = thread.filter((m) => root && m.threadTs === root.ts);
  const cards = w.chat.teamsPosts("access-approvals").length;
  step(
    "notified",
    root !== undefined && root.text.includes(`#${n}`) && replies.length > 0 && cards > 0,
    `Slack #access-approvals: one thread for #${n}, its first message updated ${root?.edits ?? 0} times as the state moved, ${replies.length} replies (${replies.map((m) => m.text.split(": ")[1] ?? m.text).join(", ")}); ${cards} Teams cards; no approve button: the message links to the review`,
  );

  const now = clock.now();
  const allowed = {
    gcp: w.cloud.gcpHasAccess(PROD_DB.project, ALICE.gcp, PROD_DB.role, now),
    azure: w.cloud.azureHasAccess(PROD_DB.scope, ALICE.azure, "Reader", now),
    k8s: w.cloud.k8sCan({ user: ALICE.k8s, namespace: "payments", role: "view" }),
  };
  step(
    "access-allowed",
    allowed.gcp && allowed.azure && allowed.k8s,
    `the clouds say yes: GCP ${allowed.gcp}, Azure ${allowed.azure}, Kubernetes ${allowed.k8s}`,
  );
  // alice uses her access: the activity record read after expiry must list exactly these calls.
  await aliceWorks(w.cloud, ALICE.gcp);

  clock.advance(4 * 3600_000 + 60_000);
  const after = clock.now();
  const expression = gcpBinding?.condition?.expression ?? "";
  const until = /timestamp\("([^"]+)"\)/.exec(expression)?.[1];
  step(
    "expired",
    until !== undefined && Date.parse(until) <= after.getTime(),
    `the clock moved 4h01m on: ${after.toISOString()} is past notAfter ${until ?? "?"}`,
  );

  const denied = {
    gcp: !w.cloud.gcpHasAccess(PROD_DB.project, ALICE.gcp, PROD_DB.role, after),
    azure: !w.cloud.azureHasAccess(PROD_DB.scope, ALICE.azure, "Reader", after),
  };
  step(
    "access-denied-after-expiry",
    denied.gcp && denied.azure,
    "GCP and Azure refuse on their own (IAM condition, PIM schedule), before jitops removes anything",
  );

  await w.bot.sweepAll();
  await settle();
  const revert = findPull(gh, (p) => p.headRef === "jitops/expire/alice-prod-db");
  const gone = gh.readFile(ACCESS_REPO, gh.branchSha(ACCESS_REPO), REQUEST_PATH) === undefined;
  step(
    "revert-pr-merged",
    Boolean(revert?.merged) && gone,
    `the sweeper opened #${revert?.number ?? "?"} deleting ${REQUEST_PATH} and merged it: Git and the cloud agree`,
  );

  const left = (w.cloud.gcpPolicy(PROD_DB.project).bindings ?? []).some(
    (b) => b.condition?.title === "jitops:alice-prod-db",
  );
  const leftK8s = w.cloud.k8sBindings().some((b) => b.metadata.name === "jitops-alice-prod-db-0");
  step(
    "binding-removed",
    !left && !leftK8s && !w.cloud.k8sCan({ user: ALICE.k8s, namespace: "payments", role: "view" }),
    "the GCP conditional binding and the RoleBinding are gone; the PIM schedule ended at its expiry",
  );

  await policyImpactStep(w, clock.now, n, step);
  await certificationSteps(w, step);
}

function findPull(
  gh: GrantsWorld["github"],
  match: (p: ReturnType<GrantsWorld["github"]["getPullRequest"]>) => boolean,
) {
  for (let k = 1; k < 100; k++) {
    try {
      const p = gh.getPullRequest(ACCESS_REPO, k);
      if (match(p)) return p;
    } catch {
      return undefined;
    }
  }
  return undefined;
}

async function workloadLifecycle(w: WorkloadWorld, clock: VirtualClock, step: Step): Promise<void> {
  const quiet = { out: () => undefined, err: () => undefined, color: false };
  await runTrust({ apply: true, root: w.root }, quiet, {}, w.trust);
  w.sim.setJob({ claims: jobClaims(), subjectForm: "immutable" });
  const run = w.io({ mode: "credentials", workload: "api-deploy", provider: "gcp" });
  const before = w.sim.gcpIssuedTokens().length;
  await runCredentialsMode(run.io, w.root, w.env, clock.now);
  const issued = w.sim.gcpIssuedTokens().length - before;
  step(
    "workload-credentials-issued",
    issued > 0 && Boolean(run.outputs.access_token) && run.failed === undefined,
    `jitops apply set the provider condition and workloadIdentityUser; acme/api (id 123456) on main/production got a token for deployer@acme-prod expiring ${run.outputs.expires_at ?? "?"}`,
  );

  // The same repository name, re-created: a new id. The action refuses, and so does the cloud.
  w.sim.setJob({ claims: jobClaims({ repository_id: "654321" }), subjectForm: "immutable" });
  const impostor = w.io({ mode: "credentials", workload: "api-deploy", provider: "gcp" });
  let actionRefused = "";
  await runCredentialsMode(impostor.io, w.root, w.env, clock.now).catch(
    (e: Error) => (actionRefused = e.message),
  );
  const gcp = DEMO_WORKLOAD.grants[0]! as {
    gcp: { serviceAccount: string; workloadIdentityProvider: string };
  };
  const token = await w.sim.mintToken({
    claims: jobClaims({ repository_id: "654321" }),
    audience: gcpAudience(gcp.gcp.workloadIdentityProvider),
  });
  const cloudRefused = await exchangeGcp({
    provider: gcp.gcp.workloadIdentityProvider,
    serviceAccount: gcp.gcp.serviceAccount,
    lifetimeSeconds: 600,
    subjectToken: async () => token,
    endpoints: { sts: w.env.JITOPS_GCP_STS_URL!, iamCredentials: w.env.JITOPS_GCP_IAMCREDENTIALS_URL! },
  }).then(
    () => false,
    () => true,
  );
  step(
    "workload-denied-wrong-repository",
    actionRefused.includes("repository_id") && cloudRefused,
    `a re-created acme/api (id 654321): the action refused (${actionRefused.replace(/^.*?: /, "")}) and GCP STS refused the same token`,
  );
}

/**
 * Pods: `jitops apply` writes GKE's principal binding and Entra's federated credential from policy;
 * a pod's projected token then gets GCP and Azure credentials, and a pod of another namespace with
 * the same service account name gets nothing from either cloud.
 */
async function podLifecycle(w: PodWorld, step: Step): Promise<void> {
  const quiet = { out: () => undefined, err: () => undefined, color: false };
  await runTrust({ apply: true, root: w.root }, quiet, {}, w.trust);
  const { namespace, serviceAccount: ksa } = GKE_POD.kubernetes;
  const gsa = (GKE_POD.grants[0] as { gcp: { serviceAccount: string } }).gcp.serviceAccount;
  const gkeAudience = `${POD_PROJECT.project}.svc.id.goog`;
  const token = (ns: string, audience: string) =>
    w.sim.mintPodToken({ cluster: "prod-gke", namespace: ns, serviceAccount: ksa, audience });
  const azure = (ns: string) =>
    exchangeAzure({
      tenantId: POD_APP.tenantId,
      clientId: POD_APP.clientId,
      authorityHost: w.env.authorityHost,
      agent: w.azureAgent,
      subjectToken: () => token(ns, "api://AzureADTokenExchange"),
    });
  const saTokens = () => w.sim.gcpIssuedTokens().filter((t) => t.serviceAccount === gsa);
  const entraTokens = () => w.sim.azureIssuedTokens().filter((t) => t.clientId === POD_APP.clientId);

  await w.gkeMetadataToken(await token(namespace, gkeAudience), gsa);
  await azure(namespace);
  const gcpIssued = saTokens().find((t) => t.obtainedBy?.endsWith(`/subject/ns/${namespace}/sa/${ksa}`));
  const azureIssued = entraTokens().find((t) => t.subject === `system:serviceaccount:${namespace}:${ksa}`);
  step(
    "pod-credentials-issued",
    Boolean(gcpIssued) && Boolean(azureIssued),
    `jitops apply bound ${namespace}/${ksa} on cluster prod-gke (GKE principal, Entra federated credential); its pod token got ${gsa} until ${gcpIssued?.expiresAt.toISOString() ?? "?"} and an Entra token for app ${POD_APP.clientId}`,
  );

  const before = { gcp: saTokens().length, azure: entraTokens().length };
  const gcpRefused = await w.gkeMetadataToken(await token("default", gkeAudience), gsa).then(
    () => false,
    () => true,
  );
  const azureRefused = await azure("default").then(
    () => false,
    () => true,
  );
  const nothing = saTokens().length === before.gcp && entraTokens().length === before.azure;
  step(
    "pod-denied-other-namespace",
    gcpRefused && azureRefused && nothing,
    `a pod running as ${ksa} in namespace default: GCP refused generateAccessToken and Entra found no federated credential for system:serviceaccount:default:${ksa}; no token issued`,
  );
}
