import { OAuth2Client } from "google-auth-library";
import { azureActivityLogReader } from "../../activity/azure-activity-log-reader.js";
import { gcpAuditLogReader } from "../../activity/gcp-audit-log-reader.js";
import { gcpRoleReader } from "../../activity/gcp-role-reader.js";
import { gcpRolesHeld } from "../../activity/gcp-held-roles.js";
import { recordActivity, type ActivityReader } from "../../app/activity-record.js";
import { rightsize, type RoleCatalogue } from "../../app/rightsize.js";
import { grantWindows, workloadWindows } from "../../core/activity/grant-windows.js";
import type { GrantAuditEvent } from "../../core/audit-grant.js";
import type { Clock } from "../../core/clock.js";
import { loadPolicy } from "../../core/load-policy.js";
import { resourceManagerClient } from "../../providers/gcp-iam-client.js";
import { fixedAzureToken } from "./fixed-azure-token.js";
import { exampleBase } from "./grants-world.js";
import type { CloudSim } from "@jitops/sim/cloud";

/** The demo's production project, its Cloud SQL instance and the deploy workload's bucket. */
export const PROD = { project: "projects/acme-prod", instance: "orders-db", bucket: "acme-releases" };
/** The deploy workload's service account (policies/workloads.yaml) and the broad role it was given by hand. */
export const DEPLOYER = {
  member: "serviceAccount:deployer@acme-prod.iam.gserviceaccount.com",
  role: "roles/storage.admin",
};

/** One call a principal made, for checking a record against. */
export interface MadeCall {
  method: string;
  status: number;
}

/** Seeds what principals call in the demo: a Cloud SQL instance, a bucket, Data Access logs on, and the deployer's broad role. */
export function seedActivity(cloud: CloudSim): void {
  cloud.gcpAddSqlInstance(PROD.project, PROD.instance);
  cloud.gcpAddBucket(PROD.bucket, PROD.project, ["api/v1.4.2.tar.gz", "api/v1.4.3.tar.gz"]);
  cloud.gcpEnableDataAccessLogs(PROD.project);
  const policy = cloud.gcpPolicy(PROD.project);
  cloud.gcpSetPolicy(PROD.project, [
    ...(policy.bindings ?? []),
    { role: DEPLOYER.role, members: [DEPLOYER.member] },
  ]);
}

async function call(url: string, token: string, method = "GET"): Promise<number> {
  const res = await fetch(url, { method, headers: { authorization: `Bearer ${token}` } });
  await res.arrayBuffer();
  return res.status;
}

/** Alice, during her prod-db-reader window: lists and reads the instance, then tries a restart her role does not allow. */
export async function aliceWorks(cloud: CloudSim, member: string): Promise<MadeCall[]> {
  const token = cloud.signIn(member);
  const base = `${cloud.urls.gcpUrl}/v1/projects/acme-prod/instances`;
  return [
    { method: "cloudsql.instances.list", status: await call(base, token) },
    { method: "cloudsql.instances.get", status: await call(`${base}/${PROD.instance}`, token) },
    {
      method: "cloudsql.instances.restart",
      status: await call(`${base}/${PROD.instance}/restart`, token, "POST"),
    },
  ];
}

/** The deploy workload: lists the releases bucket and downloads one release: 2 permissions of its broad role. */
export async function deployerWorks(cloud: CloudSim): Promise<MadeCall[]> {
  const token = cloud.signIn(DEPLOYER.member);
  const base = `${cloud.urls.gcpUrl}/storage/v1/b/${PROD.bucket}/o`;
  return [
    { method: "storage.objects.list", status: await call(base, token) },
    { method: "storage.objects.get", status: await call(`${base}/api%2Fv1.4.3.tar.gz`, token) },
  ];
}

/** The real log readers, pointed at the embedded cloud instead of Cloud Logging and ARM. */
export function simActivityReaders(cloud: CloudSim, now: Clock): ActivityReader[] {
  const auth = new OAuth2Client();
  auth.setCredentials({ access_token: "jitops-demo" });
  return [
    gcpAuditLogReader({ endpoint: cloud.urls.gcpUrl, auth }),
    azureActivityLogReader(fixedAzureToken("jitops-demo"), {
      endpoint: cloud.urls.azureUrl,
      allowInsecureConnection: true,
      now,
    }),
  ];
}

/** The real IAM roles reader, pointed at the embedded cloud. */
export function simRoleCatalogues(cloud: CloudSim): RoleCatalogue[] {
  const auth = new OAuth2Client();
  auth.setCredentials({ access_token: "jitops-demo" });
  return [gcpRoleReader({ endpoint: cloud.urls.gcpUrl, auth })];
}

/** The demo's check of one step: its name, whether the simulators' state showed it held, and what was seen. */
type Step = (name: string, ok: boolean, detail: string) => void;

/**
 * After alice's grant expired and was removed: her activity record, read from the simulated Cloud
 * Logging once the logs settled, lists exactly the calls the simulator received from her; then the
 * deploy workload, which used 2 permissions of roles/storage.admin, is proposed a narrower role.
 */
export async function activityLifecycle(
  w: { cloud: CloudSim; grantAudit: GrantAuditEvent[] },
  clock: { now: Clock; advance(ms: number): void },
  step: Step,
  alice: { gcp: string; azure: string; kubernetes: string },
): Promise<void> {
  const policy = demoPolicy();
  clock.advance(15 * 60_000);
  const granted = w.grantAudit.filter((e) => e.kind === "grant" && e.requestId === "alice-prod-db");
  const gcpGrant = granted.find((g) => g.provider === "gcp");
  const windows = grantWindows({
    request: "alice-prod-db",
    entitlement: policy.entitlements.find((e) => e.name === "prod-db-reader")!,
    principals: alice,
    start: gcpGrant?.time ?? clock.now().toISOString(),
    end: gcpGrant?.notAfter ?? clock.now().toISOString(),
  });
  const records = await recordActivity(simActivityReaders(w.cloud, clock.now), windows);
  const gcp = records.find((r) => r.window.provider === "gcp");
  const received = w.cloud.callLog("gcp").filter((c) => c.caller?.principal === alice.gcp && c.audit);
  const listed = (gcp?.entries ?? []).map((e) => `${e.method}:${e.denied}`);
  const expected = received.map((c) => `${c.audit!.methodName}:${!c.audit!.granted}`);
  const azure = records.find((r) => r.window.provider === "azure");
  step(
    "activity-recorded",
    expected.length > 0 && JSON.stringify(listed) === JSON.stringify(expected) && azure?.noActivity === true,
    `alice's window: ${gcp?.calls ?? 0} GCP calls read back from Cloud Logging, exactly the ${expected.length} the cloud received (${gcp?.denied ?? 0} denied: ${gcp?.deniedPermissions.join(", ") || "none"}); Azure: no activity, flagged as standing access nobody used`,
  );

  await deployerWorks(w.cloud);
  clock.advance(60_000);
  const workload = policy.workloads.find((x) => x.name === "api-deploy")!;
  const now = clock.now();
  const auth = new OAuth2Client();
  auth.setCredentials({ access_token: "jitops-demo" });
  const iam = resourceManagerClient({ ...w.cloud.urls.gcpEndpoint, protocol: "http", authClient: auth });
  const held = await gcpRolesHeld(iam, PROD.project, DEPLOYER.member);
  const report = await rightsize(
    { readers: simActivityReaders(w.cloud, clock.now), catalogues: simRoleCatalogues(w.cloud) },
    {
      subject: { kind: "workload", workload: workload.name },
      windows: workloadWindows(
        workload,
        new Date(now.getTime() - 30 * 86_400_000).toISOString(),
        now.toISOString(),
      ),
      roles: held.map((role) => ({ provider: "gcp" as const, role })),
    },
  );
  const p = report.proposals.find((x) => x.role === DEPLOYER.role);
  const change = p?.change;
  step(
    "rightsize-proposed",
    held.includes(DEPLOYER.role) && change?.kind === "role" && change.role === "roles/storage.objectViewer",
    `api-deploy's ${DEPLOYER.role}: ${p?.summary ?? "no proposal"}; proposed ${change?.kind === "role" ? change.role : (change?.kind ?? "?")}`,
  );
}

function demoPolicy() {
  const files = Object.entries(exampleBase())
    .filter(([path]) => path.startsWith("policies/"))
    .map(([path, content]) => ({ path, content }));
  const policy = loadPolicy(files).policy;
  if (!policy) throw new Error("the example policy does not load");
  return policy.source;
}
